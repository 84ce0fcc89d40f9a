"""Self-assessment first: the trainee rates themself, the assessor confirms, corrects with a
comment or asks for more evidence; the assessor's queue; both ratings side by side."""

from __future__ import annotations

import pytest
from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.assessment import services
from competencies.assessment.selectors import assessor_queue
from competencies.assessment.services import Rating
from competencies.evidence.selectors import attainment_for, portfolio_for, progress_matrix
from competencies.models import AssessmentPolicy, AttainmentDecision, SelfAssessment
from programmes.models import Membership, Role
from trainees import services as trainee_services

from .factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit


def _membership(world, role):
    return Membership.objects.select_related("user", "organisation").get(
        user=world.person(role), organisation=world.organisation, role=role
    )


def _rate(world, frameworks, obs=1, esc=3):
    return services.self_assessment_submit(
        trainee=world.trainee,
        actor=world.trainee.user,
        ratings=[Rating(frameworks.observations, obs, "Done it often"), Rating(frameworks.escalation, esc)],
    )


def test_a_trainee_rates_a_whole_profile_in_one_go(world, frameworks):
    records = _rate(world, frameworks)
    assert [(r.competency, r.level, r.status) for r in records] == [
        (frameworks.observations, 1, "pending"),
        (frameworks.escalation, 3, "pending"),
    ]
    # A self-rating is kept as a version but is never attainment.
    assert AttainmentDecision.objects.filter(kind="self_rated").count() == 2
    assert attainment_for([world.trainee], [frameworks.observations, frameworks.escalation]) == {}


def test_one_bad_rating_refuses_them_all(world, frameworks):
    with pytest.raises(ValidationError) as caught:
        services.self_assessment_submit(
            trainee=world.trainee,
            actor=world.trainee.user,
            ratings=[Rating(frameworks.observations, 1), Rating(frameworks.escalation, 9)],
        )
    assert f"level_{frameworks.escalation.pk}" in caught.value.message_dict
    assert not SelfAssessment.objects.exists()


def test_only_the_trainee_rates_themself(world, frameworks):
    with pytest.raises(PermissionDenied):
        services.self_assessment_submit(
            trainee=world.trainee, actor=world.person(Role.MENTOR), ratings=[Rating(frameworks.observations, 1)]
        )


def test_the_assessor_confirms_corrects_or_asks_for_evidence(world, frameworks):
    obs, esc = _rate(world, frameworks)
    mentor = world.person(Role.MENTOR)
    services.self_assessment_confirm(self_assessment=obs, assessor=mentor, level=1)
    with pytest.raises(ValidationError, match="Say why"):
        services.self_assessment_confirm(self_assessment=esc, assessor=mentor, level=2)
    corrected = services.self_assessment_confirm(
        self_assessment=esc, assessor=mentor, level=2, comment="Not yet alone at night"
    )
    got = attainment_for([world.trainee], [frameworks.observations, frameworks.escalation])
    assert got[(world.trainee.pk, frameworks.observations.pk)].kind == "confirmed"
    assert (corrected.kind, corrected.level, corrected.comment) == ("corrected", 2, "Not yet alone at night")
    assert SelfAssessment.objects.get(pk=esc.pk).status == "corrected"

    [again] = services.self_assessment_submit(
        trainee=world.trainee, actor=world.trainee.user, ratings=[Rating(frameworks.escalation, 3)]
    )
    asked = services.self_assessment_ask_for_evidence(
        self_assessment=again, assessor=mentor, comment="A witness statement"
    )
    assert asked.status == "more_evidence"
    assert (
        attainment_for([world.trainee], [frameworks.escalation])[(world.trainee.pk, frameworks.escalation.pk)].level
        == 2
    )


def test_a_confirmation_below_target_is_progress_not_a_sign_off(world, frameworks):
    [record] = services.self_assessment_submit(
        trainee=world.trainee, actor=world.trainee.user, ratings=[Rating(frameworks.escalation, 1)]
    )
    decision = services.self_assessment_confirm(self_assessment=record, assessor=world.person(Role.MENTOR), level=1)
    assert decision.kind == "progress" and decision.statement == ""
    got = attainment_for([world.trainee], [frameworks.escalation])[(world.trainee.pk, frameworks.escalation.pk)]
    assert got.status == "below_target"


def test_a_trainee_cannot_confirm_their_own_self_assessment(client_as, world, frameworks):
    obs, _ = _rate(world, frameworks)
    with pytest.raises(PermissionDenied):
        services.self_assessment_confirm(self_assessment=obs, assessor=world.trainee.user, level=1)
    client = client_as(Role.TRAINEE)
    url = reverse("assessment:self_assessment", kwargs={"pk": obs.pk})
    assert client.get(url).status_code == 200  # they see it
    assert client.post(url, {"action": "confirm", "confirm-level": "1"}).status_code == 403
    assert SelfAssessment.objects.get(pk=obs.pk).status == "pending"


def test_the_statement_is_stored_with_each_sign_off_as_it_read_then(world, frameworks):
    policy = AssessmentPolicy.objects.create(
        organisation=world.organisation,
        assessor_statement="I observed it three times.",
        trainee_declaration="This is my own work.",
    )
    obs, esc = _rate(world, frameworks)
    first = services.self_assessment_confirm(self_assessment=obs, assessor=world.person(Role.MENTOR), level=1)
    services.assessment_policy_update(
        organisation=world.organisation,
        actor=world.person(Role.TRAINING_LEAD),
        assessor_statement="I observed it five times.",
        trainee_declaration="Mine.",
        delegated_task_validity_months=24,
    )
    second = services.self_assessment_confirm(self_assessment=esc, assessor=world.person(Role.MENTOR), level=3)
    first.refresh_from_db()
    assert (first.statement, first.declaration) == ("I observed it three times.", "This is my own work.")
    assert second.statement == "I observed it five times."
    assert policy.pk == AssessmentPolicy.objects.get().pk


def test_the_mentor_page_flow_confirms_and_goes_to_the_next(client_as, world, frameworks):
    obs, esc = _rate(world, frameworks)
    client = client_as(Role.MENTOR)
    url = reverse("assessment:self_assessment", kwargs={"pk": obs.pk})
    page = client.get(url).content.decode()
    assert 'data-testid="confirm-form"' in page and "Next" in page
    # A lower level without a comment: the error next to the field, nothing recorded.
    refused = client.post(url, {"action": "confirm", "confirm-level": "0"})
    assert refused.status_code == 200 and "Say why you confirm a lower level" in refused.content.decode()
    done = client.post(url, {"action": "confirm", "confirm-level": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("assessment:self_assessment", kwargs={"pk": esc.pk})


def test_bulk_confirm_keeps_each_records_own_level_statement_and_evidence(client_as, world, frameworks):
    AssessmentPolicy.objects.create(organisation=world.organisation, assessor_statement="Observed safely.")
    evidence = submit(world.trainee, [frameworks.observations], title="Obs chart")
    obs = services.self_assessment_submit(
        trainee=world.trainee,
        actor=world.trainee.user,
        ratings=[Rating(frameworks.observations, 1)],
        evidence=[evidence],
    )[0]
    esc = services.self_assessment_submit(
        trainee=world.trainee,
        actor=world.trainee.user,
        ratings=[Rating(frameworks.escalation, 3)],
    )[0]
    client = client_as(Role.MENTOR)
    refused = client.post(reverse("assessment:queue"), {"selected": [obs.pk, esc.pk]})
    assert refused.status_code == 200 and "Confirm the statement" in refused.content.decode()
    done = client.post(reverse("assessment:queue"), {"selected": [obs.pk, esc.pk], "agree": "on"})
    assert done.status_code == 302
    decisions = {d.competency_id: d for d in AttainmentDecision.objects.filter(kind="confirmed")}
    assert (
        decisions[frameworks.observations.pk].level == 1 and decisions[frameworks.observations.pk].evidence == evidence
    )
    assert decisions[frameworks.escalation.pk].level == 3 and decisions[frameworks.escalation.pk].evidence is None
    assert {d.statement for d in decisions.values()} == {"Observed safely."}


def test_an_assessor_sees_only_the_trainees_they_assess(world, frameworks):
    lead = world.person(Role.TRAINING_LEAD)
    other_mentor_user = get_user_model().objects.create(username="other.mentor")
    Membership.objects.create(user=other_mentor_user, organisation=world.organisation, role=Role.MENTOR)
    not_mine = trainee_services.trainee_create(
        organisation=world.organisation,
        actor=lead,
        first_name="Nia",
        last_name="Else",
        employee_number="E5005",
        mentor=other_mentor_user,
        user=get_user_model().objects.create(username="nia.else"),
    )
    services.self_assessment_submit(trainee=not_mine, actor=not_mine.user, ratings=[Rating(frameworks.observations, 1)])
    _rate(world, frameworks)
    items = assessor_queue(membership=_membership(world, Role.MENTOR))
    assert {i.trainee.pk for i in items} == {world.trainee.pk}
    assert assessor_queue(membership=_membership(world, Role.MANAGER)) == []


def test_matrix_and_portfolio_show_both_ratings_side_by_side(client_as, world, frameworks):
    obs, esc = _rate(world, frameworks, obs=1, esc=3)
    services.self_assessment_confirm(self_assessment=esc, assessor=world.person(Role.MENTOR), level=2, comment="Nearly")
    entry = {e.competency.pk: e for e in portfolio_for(trainee=world.trainee).profile}[frameworks.escalation.pk]
    assert (entry.reached, entry.self_rating.level) == (2, 3)
    html = (
        client_as(Role.TRAINING_LEAD)
        .get(reverse("evidence:matrix", kwargs={"cohort_pk": world.cohort.pk}))
        .content.decode()
    )
    assert "3\u2009/\u20093" in html and '<span class="ladder-matrix__self">self 4</span>' in html


# --- Query counts, pinned at two sizes ---------------------------------------------------------


def _cast(world, n: int):
    with disable_auditlog():
        lead, mentor = world.person(Role.TRAINING_LEAD), world.person(Role.MENTOR)
        framework = make_framework(short_name="Trust AP framework", levels=FOUR_LEVELS)
        comps = [make_competency(framework, f"Skill {j}", id_number=f"Q{j:02d}") for j in range(3)]
        make_profile(world.programme, [(c, 2) for c in comps])
        for i in range(n):
            trainee = trainee_services.trainee_create(
                organisation=world.organisation,
                actor=lead,
                first_name=f"T{i:03d}",
                last_name="Queue",
                employee_number=f"Q{i:04d}",
                mentor=mentor,
                user=get_user_model().objects.create(username=f"queue{i}"),
            )
            trainee_services.enrolment_create(trainee=trainee, cohort=world.cohort, actor=lead, status="active")
            sign_off(submit(trainee, [comps[0]], title=f"Evidence {i}"), {comps[0].pk: 2}, assessor=mentor)
            submit(trainee, [comps[1]], title=f"Waiting {i}")
            services.self_assessment_submit(trainee=trainee, actor=trainee.user, ratings=[Rating(comps[2], 3, "ok")])
            services.self_assessment_submit(trainee=trainee, actor=trainee.user, ratings=[Rating(comps[1], 2)])
    return comps


@pytest.mark.parametrize("size", [5, 15])
def test_the_queue_costs_the_same_queries_at_any_size(world, size):
    _cast(world, size)
    mentor = _membership(world, Role.MENTOR)
    with CaptureQueriesContext(connection) as queries:
        items = assessor_queue(membership=mentor)
    # evidence waiting; pending self-assessments; their evidence (prefetch); versions due.
    assert len(queries) == 4, "\n".join(q["sql"][:200] for q in queries.captured_queries)
    assert len(items) == 3 * size
    assert [i.since for i in items] == sorted(i.since for i in items)  # oldest first


QUEUE_PAGE_QUERIES = 5
PLUMBING = (
    'FROM "django_session"',
    'UPDATE "django_session"',
    'FROM "auth_user"',
    'FROM "programmes_membership"',
    "SAVEPOINT",
)


@pytest.mark.parametrize("size", [5, 15])
def test_the_queue_page_costs_the_same_queries_at_any_size(client_as, world, size):
    _cast(world, size)
    client = client_as(Role.MENTOR)
    client.get(reverse("assessment:queue"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("assessment:queue"))
    html = page.content.decode()
    assert page.status_code == 200 and html.count('data-testid="queue-item"') == 3 * size
    # each trainee: one piece of evidence waiting, two self-ratings (tags from QueueItem.status_tag)
    assert html.count('nhsuk-tag--blue">Evidence<') == size
    assert html.count('nhsuk-tag--purple">Self-assessment<') == 2 * size
    own = [q["sql"] for q in queries.captured_queries if not any(p in q["sql"] for p in PLUMBING)]
    # the queue's four (evidence, self-assessments, their evidence, versions due), the policy
    assert len(own) == QUEUE_PAGE_QUERIES, "\n".join(sql[:150] for sql in own)


@pytest.mark.parametrize("size", [5, 15])
def test_the_portfolio_costs_the_same_queries_at_any_size(world, size):
    comps = _cast(world, size)
    # The world's trainee: `size` versions of their own across the three competencies.
    mentor = world.person(Role.MENTOR)
    for k in range(size):
        sign_off(submit(world.trainee, [comps[k % 3]], title=f"Mine {k}"), {comps[k % 3].pk: 3}, assessor=mentor)
    with CaptureQueriesContext(connection) as queries:
        portfolio = portfolio_for(trainee=world.trainee)
    # items, claims, versions, self-ratings
    assert len(queries) == 4
    assert len(portfolio.profile) == 3 and sum(len(e.history) for e in portfolio.profile) == size


@pytest.mark.parametrize("size", [5, 15])
def test_the_matrix_with_self_ratings_costs_the_same_at_any_size(world, size):
    _cast(world, size)
    lead = _membership(world, Role.TRAINING_LEAD)
    with CaptureQueriesContext(connection) as queries:
        matrix = progress_matrix(cohort=world.cohort, membership=lead)
    assert len(queries) == 6, "\n".join(
        q["sql"][:300] for q in queries.captured_queries
    )  # cohort ids, enrolments, profile items, attainment, self-ratings, met totals
    assert sum(c.self_rated is not None for r in matrix.rows for c in r.cells) == 2 * size
