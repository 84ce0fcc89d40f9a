"""competencies.CurrentAttainment, which the matrix, its totals, the reports and every reading
of attainment (selectors.attainment_for) take the current version from, stays what the
decisions say on every write path: the services, the sweeps, bulk writes, update() and delete()
behind the ORM's back, and two transactions writing one pair at once."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from competencies.assessment import services as assessment
from competencies.assessment.services import Rating
from competencies.evidence import services
from competencies.evidence.selectors import attainment_for
from competencies.models import AttainmentDecision, CurrentAttainment
from privacy import services as privacy_services
from programmes.models import Role
from trainees import services as trainee_services

from .current_attainment import mismatches
from .factories import sign_off, submit

Kind = AttainmentDecision.Kind


def _current(trainee, competency) -> CurrentAttainment | None:
    return CurrentAttainment.objects.filter(trainee=trainee, competency=competency).first()


def _check_deferred_constraints() -> None:
    """The foreign keys are checked at commit, which a test in a transaction never reaches."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_sign_off_progress_and_a_lower_later_sign_off(world, frameworks):
    esc = frameworks.escalation  # target Level 3 (2)
    assert _current(world.trainee, esc) is None
    sign_off(submit(world.trainee, [esc], title="Partial"), {esc.pk: 1})
    assert (_current(world.trainee, esc).kind, _current(world.trainee, esc).level) == (Kind.PROGRESS, 1)
    sign_off(submit(world.trainee, [esc], title="Full"), {esc.pk: 3})
    first = _current(world.trainee, esc)
    assert (first.kind, first.level, first.target_level) == (Kind.SIGNED_OFF, 3, 2)
    sign_off(submit(world.trainee, [esc], title="Lower"), {esc.pk: 2})  # no new version
    assert _current(world.trainee, esc).decision_id == first.decision_id
    assert mismatches() == {}


def test_self_ratings_never_become_current_and_confirmations_do(world, frameworks):
    mentor = world.person(Role.MENTOR)
    obs, esc = assessment.self_assessment_submit(
        trainee=world.trainee, actor=world.trainee.user,
        ratings=[Rating(frameworks.observations, 1), Rating(frameworks.escalation, 3)],
    )
    assert not CurrentAttainment.objects.exists()
    assessment.self_assessment_confirm(self_assessment=obs, assessor=mentor, level=1)
    assessment.self_assessment_confirm(self_assessment=esc, assessor=mentor, level=2, comment="Not alone yet")
    assert _current(world.trainee, frameworks.observations).kind == Kind.CONFIRMED
    assert (_current(world.trainee, frameworks.escalation).kind, _current(world.trainee, frameworks.escalation).level) \
        == (Kind.CORRECTED, 2)
    # A newer self-rating, then more evidence asked for: the correction stays current.
    [again] = assessment.self_assessment_submit(
        trainee=world.trainee, actor=world.trainee.user, ratings=[Rating(frameworks.escalation, 3)]
    )
    assessment.self_assessment_ask_for_evidence(self_assessment=again, assessor=mentor, comment="A witness")
    assert _current(world.trainee, frameworks.escalation).level == 2
    assert mismatches() == {}


def test_reassessment_withdrawal_and_expiry(world, frameworks):
    esc = frameworks.escalation
    esc.reassessment_months = 12
    esc.save()
    mentor = world.person(Role.MENTOR)
    sign_off(submit(world.trainee, [esc]), {esc.pk: 2})
    assessment.attainment_reassess(trainee=world.trainee, competency=esc, assessor=mentor, level=3)
    current = _current(world.trainee, esc)
    assert (current.kind, current.level) == (Kind.REASSESSED, 3)
    assert current.valid_until is not None  # a fresh period

    withdrawal = assessment.attainment_withdraw(trainee=world.trainee, competency=esc, actor=mentor, reason="Unsafe")
    current = _current(world.trainee, esc)
    assert (current.decision_id, current.kind, current.level) == (withdrawal.pk, Kind.WITHDRAWN, withdrawal.level)
    assert attainment_for([world.trainee], [esc])[(world.trainee.pk, esc.pk)].status == "withdrawn"

    # Signed off again, then its validity ends: the sweep only notes the announcement (not a
    # fact the table keeps); the status is worked out on the day it is read.
    sign_off(submit(world.trainee, [esc], title="Again"), {esc.pk: 2})
    decision = AttainmentDecision.objects.filter(trainee=world.trainee, competency=esc).order_by("-pk").first()
    services.decisions_backdate(decisions=[decision], decided_at=timezone.now() - timedelta(days=400))
    assert _current(world.trainee, esc).decision_id == withdrawal.pk  # older now than the withdrawal
    earlier = AttainmentDecision.objects.filter(trainee=world.trainee, competency=esc).exclude(pk=decision.pk)
    services.decisions_backdate(decisions=list(earlier), decided_at=timezone.now() - timedelta(days=500))
    assert _current(world.trainee, esc).decision_id == decision.pk
    assert assessment.attainment_sweep_expired() == 1
    assert attainment_for([world.trainee], [esc])[(world.trainee.pk, esc.pk)].status == "expired"
    assert mismatches() == {}


def test_a_changed_validity_period_moves_the_current_last_valid_day(world, frameworks):
    esc = frameworks.escalation
    sign_off(submit(world.trainee, [esc]), {esc.pk: 2})
    assert _current(world.trainee, esc).valid_until is None
    esc.reassessment_months = 6
    esc.save()
    changed, _ = assessment.attainment_validity_refresh(competency_ids=[esc.pk], actor=world.person(Role.TRAINING_LEAD))
    assert changed == 1
    assert _current(world.trainee, esc).valid_until is not None
    assert mismatches() == {}


def test_bulk_writes_update_and_delete_behind_the_orms_back(world, frameworks):
    obs, esc = frameworks.observations, frameworks.escalation
    t, at = world.trainee, timezone.now() - timedelta(days=30)

    def version(competency, kind, level, days, **fields):
        return AttainmentDecision(trainee=t, competency=competency, kind=kind, level=level,
                                  decided_at=at + timedelta(days=days), **fields)

    # One statement: several versions of each pair, out of order, a self-rating the newest.
    made = AttainmentDecision.objects.bulk_create([
        version(esc, Kind.SIGNED_OFF, 3, 5, valid_until=date(2030, 1, 1)),
        version(esc, Kind.PROGRESS, 1, 1),
        version(esc, Kind.SELF_RATED, 3, 9),
        version(obs, Kind.CONFIRMED, 1, 2),
        version(obs, Kind.SIGNED_OFF, 1, 2),  # the same moment: the higher id wins
    ])
    assert _current(t, esc).decision_id == made[0].pk
    assert _current(t, obs).decision_id == made[4].pk
    # A version added later but decided earlier (a backdated record) is not current.
    AttainmentDecision.objects.create(trainee=t, competency=esc, kind=Kind.SIGNED_OFF, level=2, decided_at=at)
    assert _current(t, esc).decision_id == made[0].pk
    assert mismatches() == {}

    # update(): a fact of the current version, then which version is newest.
    AttainmentDecision.objects.filter(pk=made[0].pk).update(valid_until=date(2031, 1, 1))
    assert _current(t, esc).valid_until == date(2031, 1, 1)
    AttainmentDecision.objects.filter(pk=made[1].pk).update(decided_at=at + timedelta(days=7))
    assert _current(t, esc).decision_id == made[1].pk
    # Facts that are not attainment (the expiry announcement) leave it alone.
    AttainmentDecision.objects.filter(pk=made[1].pk).update(expiry_announced_at=timezone.now())
    assert _current(t, esc).decision_id == made[1].pk
    assert mismatches() == {}

    # delete(): the newest goes, the one before is current; the last goes, no row.
    AttainmentDecision.objects.filter(pk=made[1].pk).delete()
    assert _current(t, esc).decision_id == made[0].pk
    AttainmentDecision.objects.filter(trainee=t, competency=esc).delete()
    assert _current(t, esc) is None
    assert mismatches() == {}
    _check_deferred_constraints()  # nothing points at a deleted decision


def test_erasing_a_trainee_keeps_their_attainment_current(world, frameworks):
    """Erasure scrubs what was typed (a withdrawal's reason) but keeps the record of competence."""
    esc = frameworks.escalation
    sign_off(submit(world.trainee, [esc]), {esc.pk: 3})
    assessment.attainment_withdraw(trainee=world.trainee, competency=esc, actor=world.person(Role.MENTOR),
                                   reason="Unsafe on nights")
    trainee_services.enrolment_transition(enrolment=world.enrolment, to_status="withdrawn",
                                          actor=world.person(Role.TRAINING_LEAD), reason="Left the trust")
    before = _current(world.trainee, esc)
    privacy_services.trainee_erase(trainee=world.trainee, actor=world.person(Role.TRAINING_LEAD))
    after = _current(world.trainee, esc)
    assert (after.decision_id, after.level, after.kind) == (before.decision_id, before.level, before.kind)
    assert mismatches() == {}


def test_the_demo_and_bench_data_are_current(world):
    """The bench's bulk seeding writes decisions with bulk_create: every pair is current."""
    from bench.seed import SMALL, seed

    seed(SMALL)
    assert CurrentAttainment.objects.count() > 100
    assert mismatches() == {}
