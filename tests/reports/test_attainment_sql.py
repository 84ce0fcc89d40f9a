"""The case study's attainment against target, counted by the database, agrees with the plain
reading of each pair (attainment_for + Attained.meets, as the page and the matrix read it),
expired and withdrawn sign-offs included, with DISTINCT ON or without; and costs the same
queries at two sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from competencies.assessment.services import attainment_withdraw
from competencies.evidence.selectors import COUNTED_STATUSES, attainment_for
from competencies.evidence.services import decisions_backdate
from competencies.models import AttainmentDecision, RoleProfileItem
from programmes.models import Role
from reports.documents.attainment import attainment_against_target
from tests.evidence.factories import sign_off, submit
from trainees.models import Enrolment

from .data import add_profile, grow

pytestmark = pytest.mark.django_db


def plain_reading(programme_id: int, enrolments: list[Enrolment]) -> dict:
    """Each (enrolment, item) pair read one by one: what the Python loop used to do."""
    counted = [e for e in enrolments if e.status in COUNTED_STATUSES]
    items = list(RoleProfileItem.objects.filter(profile__programme_id=programme_id).order_by("sort_order", "pk"))
    attained = attainment_for([e.trainee_id for e in counted], [i.competency_id for i in items])
    met = {
        (e.pk, i.pk): bool(attained.get((e.trainee_id, i.competency_id)))
        and attained[(e.trainee_id, i.competency_id)].meets(i.target_level)
        for e in counted for i in items
    }
    return {
        "rows": [sum(met[(e.pk, i.pk)] for e in counted) for i in items],
        "overall": (sum(met.values()), len(met)),
        "meeting_all": sum(all(met[(e.pk, i.pk)] for i in items) for e in counted),
    }


def summary(result) -> dict:
    return {
        "rows": [row.met for row in result.rows],
        "overall": (result.overall.met, result.overall.possible),
        "meeting_all": result.trainees_meeting_all,
    }


def enrolments_of(world) -> list[Enrolment]:
    return list(Enrolment.objects.filter(cohort__programme=world.programme).select_related("cohort"))


@pytest.fixture(params=[True, False], ids=["current-attainment", "decisions-subquery"])
def current_table(request, monkeypatch):
    """The counts read the current versions from CurrentAttainment (kept by triggers); read
    instead from the decisions themselves (current_decisions' subquery), they must be the
    same: the table says what the decisions say."""
    from competencies.evidence import selectors

    if not request.param:
        monkeypatch.setattr(selectors, "_newest_versions", selectors.current_decisions)
    return request.param


def test_counts_agree_with_reading_each_pair_with_expired_and_withdrawn_sign_offs(world, current_table):
    profile = add_profile(world)
    profile.observations.reassessment_months = 12  # a sign-off of observations lasts a year
    profile.observations.save()
    grow(world, profile, 6)  # everyone: observations met, escalation below target, handover waiting
    enrolled = Enrolment.objects.filter(cohort=world.cohort).select_related("trainee").order_by("pk")
    trainees = [e.trainee for e in enrolled]
    lead = world.person(Role.TRAINING_LEAD)

    # One trainee meets every target...
    star = trainees[1]
    sign_off(submit(star, [profile.escalation, profile.handover], actor=lead, title="Both"),
             {profile.escalation.pk: 2, profile.handover.pk: 1})
    # ...one had observations signed off two years ago: expired...
    expired = trainees[2]
    decisions_backdate(
        decisions=AttainmentDecision.objects.filter(trainee=expired, competency=profile.observations),
        decided_at=timezone.now() - timedelta(days=730),
    )
    # ...one had it withdrawn after an incident...
    attainment_withdraw(trainee=trainees[3], competency=profile.observations, actor=lead,
                        reason="Missed a deteriorating patient")
    # ...and one withdrew from the programme (not counted at all).
    Enrolment.objects.filter(trainee=trainees[4], cohort=world.cohort).update(status=Enrolment.Status.WITHDRAWN)

    enrolments = enrolments_of(world)
    result = attainment_against_target(programme_id=world.programme.pk, enrolments=enrolments)
    expected = plain_reading(world.programme.pk, enrolments)

    assert summary(result) == expected
    # The figures themselves: 5 counted; observations met by 3 (not the expired or withdrawn);
    # escalation by the star only; handover by the star only.
    assert expected == {"rows": [3, 1, 1], "overall": (5, 15), "meeting_all": 1}
    assert result.cohorts == [(world.cohort.name, 5)]
    assert [row.met_by_cohort for row in result.rows] == [[3], [1], [1]]
    assert {share.label: (share.met, share.possible) for share in result.by_kind} == {
        "Core competencies": (4, 10), "Role-specific competencies": (1, 5)}


def test_no_items_or_no_trainees_meet_nothing(world):
    enrolments = enrolments_of(world)
    result = attainment_against_target(programme_id=world.programme.pk, enrolments=enrolments)
    assert result.rows == [] and result.trainees_meeting_all == 0


def test_a_newer_self_rating_and_a_tie_count_as_attainment_for_reads_them(world, current_table):
    from competencies.assessment import services as assessment_services
    from competencies.assessment.services import Rating
    from tests.evidence.test_attainment import _signed_on

    profile = add_profile(world)
    grow(world, profile, 1)
    esc, t = profile.escalation, world.trainee
    decisions_backdate(decisions=AttainmentDecision.objects.filter(trainee=t, competency=esc),
                       decided_at=timezone.now() - timedelta(days=30))  # grow's sign-off, below target
    # Signed off below target (Level 2), then at it (Level 3), both decided at the same moment:
    # the later recorded is the current version; a newer self-rating is never attainment.
    below = sign_off(submit(t, [esc], title="Below"), {esc.pk: 1})
    at = sign_off(submit(t, [esc], title="At target"), {esc.pk: 2})
    for evidence in (below, at):
        _signed_on(evidence, timezone.localdate() - timedelta(days=7))
    assessment_services.self_assessment_submit(trainee=t, actor=t.user, ratings=[Rating(esc, 0)])

    enrolments = enrolments_of(world)
    result = attainment_against_target(programme_id=world.programme.pk, enrolments=enrolments)

    assert summary(result) == plain_reading(world.programme.pk, enrolments)
    assert [row.met for row in result.rows] == [1, 1, 0]  # observations and escalation met


@pytest.mark.parametrize("trainees", [3, 12])
def test_the_same_two_queries_at_any_size(world, trainees, django_assert_num_queries):
    profile = add_profile(world)
    grow(world, profile, trainees)
    enrolments = enrolments_of(world)
    # 1. the role profile's items (with competency, framework, scales)
    # 2. the counted enrolments per competency, cohort and level, and how many meet every target
    with django_assert_num_queries(2):
        result = attainment_against_target(programme_id=world.programme.pk, enrolments=enrolments)
    assert result.overall.possible == 3 * trainees
    assert result.rows[0].met == trainees
