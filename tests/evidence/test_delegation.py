"""Delegation readiness: who is signed off for each delegated task, and when reassessment is due."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.evidence import services
from competencies.evidence.selectors import Readiness, delegation_readiness
from competencies.models import Evidence, RoleProfileItem
from competencies.validity import add_months
from programmes.models import Membership, Role
from trainees import services as trainee_services

from ..conftest import make_person
from .factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit

TODAY = date(2026, 11, 22)


def membership_of(world, role):
    return Membership.objects.select_related("user").get(
        user=world.person(role), organisation=world.organisation, role=role
    )


def signed_on(evidence, day: date):
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    Evidence.objects.filter(pk=evidence.pk).update(assessed_at=moment)
    services.decisions_backdate(evidence=evidence, decided_at=moment)


def setup_tasks(world):
    framework = make_framework(short_name="Delegated healthcare tasks", levels=FOUR_LEVELS)
    bloods = make_competency(framework, "Venepuncture", id_number="DT1", is_delegated_task=True, reassessment_months=6)
    ecg = make_competency(framework, "Recording a 12-lead ECG", id_number="DT2", is_delegated_task=True)
    ordinary = make_competency(framework, "Communication", id_number="GEN1")
    make_profile(world.programme, [
        (bloods, 2, RoleProfileItem.Kind.ROLE_SPECIFIC), (ecg, 2, RoleProfileItem.Kind.ROLE_SPECIFIC), (ordinary, 1),
    ])
    lead = world.person(Role.TRAINING_LEAD)
    second = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name="Ria", last_name="Second",
        employee_number="E3003", mentor=world.person(Role.MENTOR), line_manager=world.person(Role.MANAGER),
        user=make_person(world.organisation, Role.TRAINEE, "ria.acme"),
    )
    trainee_services.enrolment_create(trainee=second, cohort=world.cohort, actor=lead, status="active")
    return bloods, ecg, ordinary, second


def test_readiness_with_reassessment_due_dates(world):
    bloods, ecg, ordinary, second = setup_tasks(world)
    sam = world.trainee
    # Sam: venepuncture signed off at target on 1 March (6-monthly: due 1 September, overdue);
    # ECG signed off 10 December last year (yearly by default: due 10 December, expiring: within 60 days).
    signed_on(sign_off(submit(sam, [bloods], title="Bloods"), {bloods.pk: 2}), date(2026, 3, 1))
    signed_on(sign_off(submit(sam, [ecg], title="ECG"), {ecg.pk: 3}), date(2025, 12, 10))
    # Ria: venepuncture signed off on 1 October (due 1 April, in date); ECG only below target.
    signed_on(sign_off(submit(second, [bloods], title="Bloods"), {bloods.pk: 3}), date(2026, 10, 1))
    signed_on(sign_off(submit(second, [ecg], title="ECG"), {ecg.pk: 1}), date(2026, 10, 1))

    tasks = delegation_readiness(membership=membership_of(world, Role.MANAGER), today=TODAY)

    assert [t.competency for t in tasks] == [ecg, bloods]  # by name; "Communication" is not delegated
    ecg_task, bloods_task = tasks
    assert [(r.trainee, r.status, r.signed_off_on, r.reassessment_due) for r in bloods_task.trainees] == [
        (sam, Readiness.OVERDUE, date(2026, 3, 1), date(2026, 9, 1)),
        (second, Readiness.READY, date(2026, 10, 1), date(2027, 4, 1)),
    ]
    assert [(r.trainee, r.status, r.reassessment_due) for r in ecg_task.trainees] == [
        (sam, Readiness.DUE_SOON, date(2026, 12, 10)),
        (second, Readiness.NOT_YET, None),
    ]
    assert (bloods_task.ready_count, bloods_task.overdue_count) == (1, 1)
    assert bloods_task.interval == "every 6 months" and ecg_task.interval == "every year"
    assert bloods_task.trainees[0].overdue and not bloods_task.trainees[0].may_delegate
    assert ecg_task.trainees[0].may_delegate


def test_readiness_is_scoped_and_costs_three_queries(world):
    bloods, ecg, ordinary, second = setup_tasks(world)
    sign_off(submit(second, [bloods]), {bloods.pk: 2})
    lead = world.person(Role.TRAINING_LEAD)
    not_mine = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name="Nia", last_name="Elsewhere", employee_number="E4004",
    )
    trainee_services.enrolment_create(trainee=not_mine, cohort=world.cohort, actor=lead, status="active")

    mentor = membership_of(world, Role.MENTOR)
    with CaptureQueriesContext(connection) as queries:
        tasks = delegation_readiness(membership=mentor, cohort=world.cohort, today=TODAY)
    # the visible cohort ids, enrolments, delegated items, attainment
    assert len(queries) == 4, "\n".join(q["sql"][:300] for q in queries.captured_queries)
    assert {r.trainee.pk for r in tasks[0].trainees} == {world.trainee.pk, second.pk}
    lead_view = delegation_readiness(membership=membership_of(world, Role.TRAINING_LEAD), today=TODAY)
    assert not_mine.pk in {r.trainee.pk for r in lead_view[0].trainees}


def test_the_delegation_page_lists_tasks_with_due_dates(client_as, world):
    bloods, ecg, ordinary, second = setup_tasks(world)
    signed_on(sign_off(submit(second, [bloods]), {bloods.pk: 2}), date(2026, 10, 1))
    client = client_as(Role.MANAGER)
    page = client.get(reverse("evidence:delegation"), {"cohort": world.cohort.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="delegated-task"') == 2
    assert "1 Apr 2027" in html
    # A cohort that is not theirs to see is a mistake on the form, not a crash.
    refused = client.get(reverse("evidence:delegation"), {"cohort": world.other_cohort.pk})
    assert refused.status_code == 200
    assert "from the choices given" in refused.content.decode()


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_the_delegation_page_costs_the_same_queries_with_more_trainees(client_as, world):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext as Capture

    bloods, ecg, ordinary, second = setup_tasks(world)
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("evidence:delegation")

    def count():
        client.get(url)
        with Capture(db) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    lead = world.person(Role.TRAINING_LEAD)
    for n in range(5):
        person = make_person(world.organisation, Role.TRAINEE, f"more{n}.acme")
        trainee = trainee_services.trainee_create(
            organisation=world.organisation, actor=lead, first_name=f"More{n}", last_name="Trainee",
            employee_number=f"E9{n}", user=person, clinical_area=world.ward, mentor=world.person(Role.MENTOR),
        )
        trainee_services.enrolment_create(trainee=trainee, cohort=world.cohort, actor=lead, status="active")
        sign_off(submit(trainee, [bloods, ecg]), {bloods.pk: 2, ecg.pk: n % 4}, assessor=world.person(Role.MENTOR))
    assert count() == few
