"""Recording protected study time and progress reviews from the enrolment page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes.models import Role
from trainees import selectors, services
from trainees.models import Enrolment, ProgressReview, StudySession

pytestmark = pytest.mark.django_db


def _session(client, world, **data):
    data = {"date": "2026-02-02", "hours": "3.5", "outcome": "taken", **data}
    return client.post(reverse("trainees:study_session_create", kwargs={"pk": world.enrolment.pk}), data)


def test_manager_records_study_time_taken(world, client_as):
    response = _session(client_as(Role.MANAGER), world, note="Library")
    assert response.status_code == 302
    session = StudySession.objects.get()
    assert (session.hours, session.outcome, session.recorded_by) == (
        Decimal("3.5"), "taken", world.person(Role.MANAGER)
    )


def test_study_time_lost_without_a_reason_is_refused_next_to_the_field(world, client_as):
    response = _session(client_as(Role.MANAGER), world, outcome="lost")
    assert response.status_code == 200
    assert response.context["session_form"].errors["lost_reason"] == ["Say why the study time was lost."]
    assert 'id="session_lost_reason-error"' in response.content.decode()
    assert not StudySession.objects.exists()


def test_study_time_lost_with_a_reason_and_cover(world, client_as):
    response = _session(client_as(Role.TRAINEE), world, outcome="lost", lost_reason="ward_staffing",
                        cover_arranged="on")
    assert response.status_code == 302
    session = StudySession.objects.get()
    assert (session.lost_reason, session.cover_arranged) == ("ward_staffing", True)


def test_a_date_in_the_future_is_refused(world, client_as):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _session(client_as(Role.MANAGER), world, date=tomorrow.isoformat())
    assert response.context["session_form"].errors["date"] == ["The date cannot be in the future."]
    assert not StudySession.objects.exists()


def test_a_trainee_logging_from_their_record_comes_back_to_it(world, client_as):
    client = client_as(Role.TRAINEE)
    my_record = reverse("trainees:my_record")
    ok = _session(client, world, next=my_record)
    assert ok["Location"] == my_record
    # ... and a mistake is shown on their record page, not elsewhere.
    wrong = _session(client, world, outcome="lost", next=my_record)
    assert wrong.status_code == 200
    assert wrong.templates[0].name == "trainees/my_record.html"
    assert "lost_reason" in wrong.context["session_form"].errors


def test_a_lead_adjusts_one_trainees_plan(world, client_as):
    url = reverse("trainees:plan_edit", kwargs={"pk": world.enrolment.pk})
    response = client_as(Role.TRAINING_LEAD).post(url, {"version": 1, "study_hours_per_week": "3"})
    assert response.status_code == 302
    world.enrolment.refresh_from_db()
    assert world.enrolment.study_hours_per_week == Decimal("3")
    stale = client_as(Role.TRAINING_LEAD).post(url, {"version": 1, "study_hours_per_week": "4"})
    assert stale.status_code == 200
    assert "Someone else changed this enrolment" in stale.content.decode()


def test_study_figures_are_not_multiplied_by_reviews_or_signatures(world, client_as):
    manager = world.person(Role.MANAGER)
    services.study_session_record(enrolment=world.enrolment, actor=manager,
                                  date=timezone.datetime(2026, 2, 2).date(), hours=Decimal("3"))
    for day in (2, 9):
        services.review_record(enrolment=world.enrolment, actor=manager,
                               held_on=timezone.datetime(2026, 3, day).date(), notes="Fine")
    contract = world.enrolment.contract
    services.contract_sign(contract=contract, party="manager", user=manager, allowed_parties={"manager"})
    services.contract_sign(contract=contract, party="mentor", user=world.person(Role.MENTOR),
                           allowed_parties={"mentor"})
    page = client_as(Role.TRAINING_LEAD).get(reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk}))
    row = page.context["rows"][0]
    assert row.study.taken == Decimal("3")
    assert row.signature_count == 2
    assert str(row.enrolment.last_review_on) == "2026-03-09"


def test_manager_records_a_review_with_who_was_there(world, client_as):
    response = client_as(Role.MANAGER).post(
        reverse("trainees:review_create", kwargs={"pk": world.enrolment.pk}),
        {"held_on": "2026-03-02", "present": ["trainee", "manager"], "notes": "On track.",
         "actions": "Book the next placement."},
    )
    assert response.status_code == 302
    review = ProgressReview.objects.get()
    assert (review.trainee_present, review.manager_present, review.tutor_present) == (True, True, False)
    assert review.recorded_by == world.person(Role.MANAGER)


def test_a_review_needs_notes_and_a_date_within_the_enrolment(world, client_as):
    response = client_as(Role.LECTURER).post(
        reverse("trainees:review_create", kwargs={"pk": world.enrolment.pk}),
        {"held_on": "2025-12-01", "present": ["tutor"], "notes": ""},
    )
    assert response.status_code == 200
    errors = response.context["review_form"].errors
    assert "notes" in errors
    assert not ProgressReview.objects.exists()
    response = client_as(Role.LECTURER).post(
        reverse("trainees:review_create", kwargs={"pk": world.enrolment.pk}),
        {"held_on": "2025-12-01", "present": ["tutor"], "notes": "Met."},
    )
    assert response.context["review_form"].errors["held_on"] == [
        "The date must be on or after the trainee started on the cohort."
    ]


def test_the_next_review_is_due_twelve_weeks_after_the_last(world, client_as):
    services.review_record(enrolment=world.enrolment, actor=world.person(Role.MANAGER),
                           held_on=timezone.datetime(2026, 3, 2).date(), notes="Fine")
    page = client_as(Role.MANAGER).get(reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk}))
    assert str(page.context["review_due"]) == "2026-05-25"


def test_study_time_by_cohort_adds_up_each_enrolments_plan_and_hours_once(world):
    from datetime import date

    from tests.trainees.helpers import add_trainee
    from trainees.selectors import StudyTime, study_time_by_cohort

    manager = world.person(Role.MANAGER)
    trainee, _ = add_trainee(world, enrol=False, line_manager=manager)
    part_time = services.enrolment_create(
        trainee=trainee, cohort=world.cohort, actor=world.person(Role.TRAINING_LEAD),
        enrolled_on=date(2026, 2, 2), status="active", study_hours_per_week=Decimal("3"),
    )
    for enrolment, day, hours, outcome in ((world.enrolment, 2, "3", "taken"), (world.enrolment, 9, "2", "taken"),
                                           (world.enrolment, 16, "1.5", "lost"), (part_time, 9, "2", "lost")):
        services.study_session_record(enrolment=enrolment, actor=manager, date=date(2026, 2, day),
                                      hours=Decimal(hours), outcome=outcome, lost_reason="ward_staffing")
    for day in (2, 3):  # reviews must not multiply the hours
        services.review_record(enrolment=world.enrolment, actor=manager, held_on=date(2026, 3, day), notes="Fine")
    today = date(2026, 3, 4)

    figures = study_time_by_cohort(Enrolment.objects.filter(cohort__programme=world.programme), today)

    # 58 days at 7.5 hours a week: 62.1; 30 days at 3: 12.9 (each rounded as the enrolment page shows it)
    assert figures == {world.cohort.pk: StudyTime(Decimal("75.0"), Decimal("5"), Decimal("3.5"))}
    enrolments = Enrolment.objects.filter(cohort=world.cohort).select_related("cohort")
    assert figures[world.cohort.pk].planned == sum(selectors.planned_hours_to_date(e, today) for e in enrolments)


@pytest.mark.parametrize(("days", "per_week"), [
    (10, "7.5"),  # 10.714...: rounds down
    (4, "3.3"),  # 1.8857...: rounds up
    (3, "3.5"),  # 1.5 exactly
    (13, "0.1"),  # 0.1857...
    (84, "7.5"),  # whole weeks
    (0, "7.5"),  # starting today
])
def test_planned_hours_in_python_equal_the_database_s_at_rounding_edges(world, days, per_week):
    """The home's study-time count (SQL) and the list beside it (Python) must agree: the same
    order of operations and the same rounding on both sides."""
    today = timezone.localdate()
    enrolment = world.enrolment
    cohort = enrolment.cohort
    cohort.starts_on = today - timedelta(days=days)
    cohort.ends_on = today + timedelta(days=365)
    cohort.save(update_fields=["starts_on", "ends_on"])
    enrolment.enrolled_on = cohort.starts_on
    enrolment.study_hours_per_week = Decimal(per_week)
    enrolment.ended_on = None
    enrolment.save(update_fields=["enrolled_on", "study_hours_per_week", "ended_on"])

    in_sql = selectors.with_planned_hours(Enrolment.objects.filter(pk=enrolment.pk), today).get().planned_hours
    in_python = selectors.planned_hours_to_date(Enrolment.objects.get(pk=enrolment.pk), today)
    assert in_python == in_sql


def _one_by_one_and_at_once(world, sessions):
    """The same sessions recorded one at a time and all at once (the demo's way), each on an
    enrolment of its own: (sessions, audit entries) of each, in a comparable form."""
    from auditlog.models import LogEntry

    from .helpers import add_trainee

    manager = world.person(Role.MANAGER)
    _, other = add_trainee(world, employee_number="E3101")
    for entry in sessions:
        services.study_session_record(enrolment=world.enrolment, actor=manager, **entry)
    services.study_sessions_record(enrolment=other, actor=manager, sessions=sessions)

    def recorded(enrolment):
        rows = list(StudySession.objects.filter(enrolment=enrolment).order_by("pk").values(
            "date", "hours", "outcome", "lost_reason", "cover_arranged", "note", "recorded_by"))
        own = {"id", "enrolment"}  # each enrolment's own
        entries = [
            (e.action, e.actor_id, e.object_repr, {k: v for k, v in e.changes_dict.items() if k not in own})
            for e in LogEntry.objects.get_for_objects(StudySession.objects.filter(enrolment=enrolment)).order_by("pk")
        ]
        return rows, entries

    return recorded(world.enrolment), recorded(other)


def test_sessions_recorded_at_once_are_those_recorded_one_by_one_with_their_audit_entries(world):
    sessions = [
        {"date": timezone.localdate().replace(year=2026, month=2, day=2), "hours": Decimal("3.5")},
        {"date": timezone.localdate().replace(year=2026, month=2, day=9), "hours": Decimal("3.5"),
         "outcome": "lost", "lost_reason": "ward_staffing", "cover_arranged": True, "note": " No cover "},
        {"date": timezone.localdate().replace(year=2026, month=2, day=16), "hours": Decimal("7.5"),
         "outcome": "taken", "lost_reason": "ward_staffing"},  # a reason with time taken is dropped
    ]
    one_by_one, at_once = _one_by_one_and_at_once(world, sessions)
    assert one_by_one == at_once
    rows, entries = at_once
    assert len(rows) == len(entries) == 3
    assert [e[1] for e in entries] == [world.person(Role.MANAGER).pk] * 3


@pytest.mark.parametrize(("bad", "field"), [
    ({"outcome": "lost"}, "lost_reason"),
    ({"date": timezone.localdate() + timedelta(days=1)}, "date"),
    ({"date": timezone.localdate().replace(year=2025, month=12, day=1)}, "date"),  # before the cohort
    ({"hours": Decimal("25")}, "__all__"),  # the table's constraint
])
def test_sessions_recorded_at_once_are_refused_all_together_as_one_would_be(world, bad, field):
    manager = world.person(Role.MANAGER)
    good = {"date": timezone.localdate().replace(year=2026, month=2, day=2), "hours": Decimal("3.5")}
    with pytest.raises(ValidationError) as one:
        services.study_session_record(enrolment=world.enrolment, actor=manager, **{**good, **bad})
    with pytest.raises(ValidationError) as many:
        services.study_sessions_record(enrolment=world.enrolment, actor=manager, sessions=[good, {**good, **bad}])
    assert field in one.value.message_dict
    assert many.value.message_dict == one.value.message_dict
    assert not StudySession.objects.exists()  # the good one is not kept either
