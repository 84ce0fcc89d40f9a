"""Writes for competence over time: self-assessment and its confirmation, reassessment,
withdrawal, the daily expiry sweep and the organisation's sign-off statements.

Every change of current attainment adds a version (competencies.models.AttainmentDecision,
through evidence.services.decision_record: nothing is overwritten) and announces the pairs
after commit (competencies.signals.announce_attainment_changed) so delegation and credentials
follow. Who may assess: competencies.assessors (the one rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from core.audit import audit_log_changed
from programmes.models import Membership, Organisation, Role
from trainees.models import Trainee

from ..assessors import user_may_assess_trainee
from ..evidence.services import VALIDATED_KINDS, decision_record, policy_for, targets_of
from ..models import AssessmentPolicy, AttainmentDecision, Competency, Evidence, SelfAssessment
from ..signals import announce_attainment_changed
from ..validity import valid_until_for

Kind = AttainmentDecision.Kind
NOT_ASSESSOR = (
    "Only the trainee's assessor (their mentor) can do this. A training lead can change who the trainee's mentor is."
)
CONFIRM_STATEMENT_MESSAGE = "Confirm the sign-off statement, or ask for more evidence instead"


def _check_assessor(user, trainee: Trainee) -> None:
    if not user_may_assess_trainee(user, trainee):
        raise PermissionDenied(NOT_ASSESSOR)


def _scale_level(competency: Competency, level, field: str = "level") -> int:
    scale = competency.effective_scale()
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = -1
    if not 0 <= level < len(scale.levels):
        raise ValidationError({field: f"Choose one of the levels of {scale.name} for {competency}."})
    return level


def _current(trainee: Trainee, competency: Competency) -> AttainmentDecision | None:
    return (
        AttainmentDecision.objects.filter(trainee=trainee, competency=competency)
        .exclude(kind=Kind.SELF_RATED)
        .order_by("-decided_at", "-pk")
        .first()
    )


# --- Self-assessment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    competency: Competency
    level: int | None  # None: not rated this time (left out of a whole-profile form)
    confidence: str = ""


@transaction.atomic
def self_assessment_submit(
    *, trainee: Trainee, actor, ratings: Sequence[Rating], evidence: Iterable[Evidence] = ()
) -> list[SelfAssessment]:
    """The trainee rates themself in one competency or a whole profile at once, with a
    confidence note and optionally their own evidence; each rating waits for their assessor.
    All or nothing: one bad rating refuses them all (errors keyed ``level_<competency id>``).
    A competency already waiting keeps its pending rating, replaced by none: it is refused.
    Only the trainee themself may rate (PermissionDenied otherwise)."""
    if actor is None or trainee.user_id != actor.pk:
        raise PermissionDenied("Only the trainee rates themself.")
    rated = [r for r in ratings if r.level is not None and r.level != ""]
    if not rated:
        raise ValidationError({"__all__": "Rate yourself in at least one competency."})
    evidence = list(evidence)
    if any(e.trainee_id != trainee.pk for e in evidence):
        raise ValidationError({"evidence": "Attach only your own evidence."})
    pending = set(
        SelfAssessment.objects.filter(
            trainee=trainee,
            status=SelfAssessment.Status.PENDING,
            competency_id__in=[r.competency.pk for r in rated],
        ).values_list("competency_id", flat=True)
    )
    errors, clean = {}, []
    for rating in rated:
        key = f"level_{rating.competency.pk}"
        try:
            level = _scale_level(rating.competency, rating.level, key)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if rating.competency.pk in pending:
            errors[key] = f"Your rating of {rating.competency} is already waiting for your assessor."
            continue
        clean.append((rating, level))
    if errors:
        raise ValidationError(errors)
    declaration = policy_for(trainee.organisation_id).trainee_declaration
    created = []
    now = timezone.now()
    with set_actor(actor):
        for rating, level in clean:
            record = SelfAssessment(
                trainee=trainee,
                competency=rating.competency,
                level=level,
                confidence=(rating.confidence or "").strip(),
                declaration=declaration,
                submitted_by=actor,
                submitted_at=now,
            )
            record.full_clean()
            record.save()
            if evidence:
                record.evidence.set(evidence)
            decision_record(
                trainee=trainee,
                competency=rating.competency,
                kind=Kind.SELF_RATED,
                level=level,
                decided_by=actor,
                self_assessment=record,
                comment=record.confidence,
                declaration=declaration,
            )
            created.append(record)
    return created


def _lock_pending(self_assessment: SelfAssessment) -> SelfAssessment:
    locked = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("trainee", "competency__framework__scale", "competency__scale")
        .get(pk=self_assessment.pk)
    )
    if locked.status != SelfAssessment.Status.PENDING:
        raise ValidationError(f"This self-assessment is already decided ({locked.get_status_display().lower()}).")
    return locked


@transaction.atomic
def self_assessment_confirm(
    *,
    self_assessment: SelfAssessment,
    assessor,
    level,
    statement: str | None = None,
    comment: str = "",
    policy: AssessmentPolicy | None = None,
    statement_confirmed: bool | None = None,
) -> AttainmentDecision:
    """The assessor confirms the trainee's rating at ``level``: the same or higher is a
    confirmation; lower is a correction and needs a comment saying why. Below the role
    profile's target it is recorded as progress, never as a sign-off. ``statement`` is what the
    assessor confirmed (the organisation's statement as it reads now when None). Locks the
    self-assessment; a trainee can never confirm their own. Announces the change.

    ``statement_confirmed``, as for evidence_sign_off: whether the assessor confirmed the
    organisation's statement; False refuses a confirmation at or above the target on the
    ``agree`` field when the organisation set one (progress below the target needs none).
    ``None``: the caller checked it itself (the browser's form) or shows none (demo data)."""
    locked = _lock_pending(self_assessment)
    _check_assessor(assessor, locked.trainee)
    level = _scale_level(locked.competency, level)
    comment = (comment or "").strip()
    corrected = level < locked.level
    errors = {}
    if corrected and not comment:
        errors["comment"] = "Say why you confirm a lower level than the trainee's own rating."
    target = targets_of(locked.trainee, [locked.competency_id]).get(locked.competency_id)
    below = target is not None and level < target
    kind = Kind.PROGRESS if below else (Kind.CORRECTED if corrected else Kind.CONFIRMED)
    policy = policy or policy_for(locked.trainee.organisation_id)
    if statement is None:
        statement = policy.assessor_statement
    if statement_confirmed is False and statement and not below:
        errors["agree"] = CONFIRM_STATEMENT_MESSAGE
    if errors:
        raise ValidationError(errors)
    locked.status = SelfAssessment.Status.CORRECTED if corrected else SelfAssessment.Status.CONFIRMED
    locked.decided_by, locked.decided_at = assessor, timezone.now()
    locked.confirmed_level, locked.assessor_comment = level, comment
    locked.full_clean()
    with set_actor(assessor):
        locked.save()
    decision = decision_record(
        trainee=locked.trainee,
        competency=locked.competency,
        kind=kind,
        level=level,
        target_level=target,
        decided_by=assessor,
        self_assessment=locked,
        comment=comment,
        statement="" if below else statement,
        declaration=locked.declaration,
        policy=policy,
        evidence=locked.evidence.order_by("-pk").first(),
    )
    announce_attainment_changed([(locked.trainee_id, locked.competency_id)], "corrected" if corrected else "signed_off")
    return decision


@transaction.atomic
def self_assessment_ask_for_evidence(*, self_assessment: SelfAssessment, assessor, comment: str) -> SelfAssessment:
    """The assessor asks for more evidence before deciding (saying what, required). Attainment
    does not change; the trainee rates again when they have it."""
    locked = _lock_pending(self_assessment)
    _check_assessor(assessor, locked.trainee)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what evidence the trainee should add."})
    locked.status = SelfAssessment.Status.MORE_EVIDENCE
    locked.decided_by, locked.decided_at, locked.assessor_comment = assessor, timezone.now(), comment
    locked.full_clean()
    with set_actor(assessor):
        locked.save()
    return locked


@transaction.atomic
def self_assessments_confirm_many(
    *,
    self_assessments: Sequence[SelfAssessment],
    assessor,
    statement: str | None = None,
) -> list[AttainmentDecision]:
    """Confirm several at once, each at its own rated level, with its own statement and
    evidence recorded (one version each). All or nothing."""
    policy = None
    decisions = []
    for record in self_assessments:
        policy = policy or policy_for(record.trainee.organisation_id)
        decisions.append(
            self_assessment_confirm(
                self_assessment=record,
                assessor=assessor,
                level=record.level,
                statement=statement,
                policy=policy if policy.organisation_id == record.trainee.organisation_id else None,
            )
        )
    return decisions


# --- Reassessment and withdrawal -------------------------------------------------------------------


@transaction.atomic
def attainment_reassess(
    *,
    trainee: Trainee,
    competency: Competency,
    assessor,
    level,
    comment: str = "",
    evidence: Evidence | None = None,
) -> AttainmentDecision:
    """Reassess: one action that starts a new version, with a fresh validity period (or
    progress, below the target). Only the trainee's assessor."""
    _check_assessor(assessor, trainee)
    level = _scale_level(competency, level)
    target = targets_of(trainee, [competency.pk]).get(competency.pk)
    below = target is not None and level < target
    policy = policy_for(trainee.organisation_id)
    decision = decision_record(
        trainee=trainee,
        competency=competency,
        kind=Kind.PROGRESS if below else Kind.REASSESSED,
        level=level,
        target_level=target,
        decided_by=assessor,
        comment=comment,
        evidence=evidence,
        statement="" if below else policy.assessor_statement,
        policy=policy,
    )
    announce_attainment_changed([(trainee.pk, competency.pk)], "reassessed")
    return decision


def may_withdraw(user, trainee: Trainee) -> bool:
    """The trainee's assessor, or a training lead of the trainee's organisation. One query."""
    if user_may_assess_trainee(user, trainee):
        return True
    return (
        user is not None
        and user.is_authenticated
        and Membership.objects.active()
        .filter(user=user, organisation_id=trainee.organisation_id, role=Role.TRAINING_LEAD)
        .exists()
    )


@transaction.atomic
def attainment_withdraw(*, trainee: Trainee, competency: Competency, actor, reason: str) -> AttainmentDecision:
    """Withdraw the current sign-off (for example after an incident), saying why (required):
    a new version; the trainee no longer counts as competent until reassessed."""
    if not may_withdraw(actor, trainee):
        raise PermissionDenied("Only the trainee's assessor or a training lead can withdraw a sign-off.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the sign-off is withdrawn."})
    current = _current(trainee, competency)
    if current is None or current.kind == Kind.WITHDRAWN:
        raise ValidationError({"reason": f"{trainee.full_name} has no sign-off in {competency} to withdraw."})
    decision = decision_record(
        trainee=trainee,
        competency=competency,
        kind=Kind.WITHDRAWN,
        level=current.level,
        target_level=current.target_level,
        decided_by=actor,
        comment=reason,
    )
    announce_attainment_changed([(trainee.pk, competency.pk)], "withdrawn")
    return decision


# --- The daily sweep ----------------------------------------------------------------------------


def _newest_version() -> Subquery:
    """The pk of the current version (the newest but for self-ratings) of the outer row's pair."""
    return Subquery(
        AttainmentDecision.objects.filter(trainee_id=OuterRef("trainee_id"), competency_id=OuterRef("competency_id"))
        .exclude(kind=Kind.SELF_RATED)
        .order_by("-decided_at", "-pk")
        .values("pk")[:1]
    )


@transaction.atomic
def attainment_sweep_expired(*, today: date | None = None, competency_ids: Iterable[int] | None = None) -> int:
    """Find current versions whose validity ended before ``today`` and not yet announced, mark
    them announced and announce them ("expired") after commit. Idempotent: a second run the same
    day announces nothing. ``competency_ids`` limits it to those competencies (after their
    validity changed: attainment_validity_refresh). Two queries and one update, whatever the
    number."""
    today = today or timezone.localdate()
    due = AttainmentDecision.objects.select_for_update(skip_locked=True).filter(
        valid_until__lt=today, expiry_announced_at__isnull=True, pk=_newest_version()
    )
    if competency_ids is not None:
        due = due.filter(competency_id__in=list(competency_ids))
    due = list(due.exclude(kind=Kind.WITHDRAWN).values_list("pk", "trainee_id", "competency_id"))
    if not due:
        return 0
    AttainmentDecision.objects.filter(pk__in=[pk for pk, _, _ in due]).update(expiry_announced_at=timezone.now())
    announce_attainment_changed([(t, c) for _, t, c in due], "expired")
    return len(due)


@transaction.atomic
def attainment_validity_refresh(
    *, competency_ids: Iterable[int], actor, today: date | None = None, organisation_id: int | None = None
) -> tuple[int, int]:
    """After the validity period of these competencies changed (framework_validity_update):
    the current version of each trainee's attainment in them runs for the new period from the
    day it was decided, as if it had been decided under it; earlier versions keep theirs. A
    version that is valid again loses its expiry announcement (so its next expiry is
    announced); then the daily sweep runs for these competencies and announces what has now
    expired. Only versions that are sign-offs at target have a period (decision_record's rule).
    ``organisation_id``: only that organisation's trainees (its delegated-task default changed).
    Each change is audited (core.audit.audit_log_changed). Locks the versions it changes.
    Returns (versions changed, expiries announced). A fixed handful of queries, plus one for
    each trainees' organisation's policy, and one UPDATE and one audit INSERT a thousand
    versions."""
    competency_ids = list(competency_ids)
    if not competency_ids:
        return 0, 0
    today = today or timezone.localdate()
    current = (
        AttainmentDecision.objects.select_for_update(of=("self",))
        .filter(competency_id__in=competency_ids, kind__in=VALIDATED_KINDS, level__isnull=False, pk=_newest_version())
        .select_related("competency__framework", "trainee")
        .order_by("pk")
    )
    if organisation_id is not None:
        current = current.filter(trainee__organisation_id=organisation_id)
    policies: dict[int, AssessmentPolicy] = {}
    changed, audit = [], []
    for decision in current:
        if decision.target_level is not None and decision.level < decision.target_level:
            continue
        owner = decision.trainee.organisation_id
        if owner not in policies:
            policies[owner] = policy_for(owner)
        decided_on = timezone.localtime(decision.decided_at).date()
        valid_until = valid_until_for(
            decision.competency, decided_on, delegated_default=policies[owner].delegated_task_validity_months
        )
        if valid_until == decision.valid_until:
            continue
        old = {"valid_until": decision.valid_until, "expiry_announced_at": decision.expiry_announced_at}
        decision.valid_until = valid_until
        if valid_until is None or valid_until >= today:
            decision.expiry_announced_at = None
        audit.append((decision, {name: (was, getattr(decision, name)) for name, was in old.items()}))
        changed.append(decision)
    AttainmentDecision.objects.bulk_update(changed, ["valid_until", "expiry_announced_at"], batch_size=1000)
    audit_log_changed(audit, actor=actor)
    # Credentials carry the last valid day they were signed with: they are replaced.
    announce_attainment_changed([(d.trainee_id, d.competency_id) for d in changed], "revalidated")
    return len(changed), attainment_sweep_expired(today=today, competency_ids=competency_ids)


# --- Sign-off statements --------------------------------------------------------------------------


@transaction.atomic
def assessment_policy_update(
    *,
    organisation: Organisation,
    actor,
    assessor_statement: str,
    trainee_declaration: str,
    delegated_task_validity_months: int,
) -> AssessmentPolicy:
    """Set the statements an assessor confirms and a trainee declares, and the delegated-task
    validity. Earlier sign-offs keep the statements as they read then; the current sign-offs
    of delegated tasks that run for the default (no period of their own or their framework's)
    run for the new one (attainment_validity_refresh, as when a framework's period changes)."""
    policy, _ = AssessmentPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    default_was = policy.delegated_task_validity_months
    policy.assessor_statement = (assessor_statement or "").strip()
    policy.trainee_declaration = (trainee_declaration or "").strip()
    policy.delegated_task_validity_months = delegated_task_validity_months
    policy.full_clean()
    with set_actor(actor):
        policy.save()
    if policy.delegated_task_validity_months != default_was:
        on_default = Competency.objects.filter(
            Q(framework__organisation__isnull=True) | Q(framework__organisation=organisation),
            is_delegated_task=True, reassessment_months__isnull=True, framework__validity_months__isnull=True,
        )
        attainment_validity_refresh(
            competency_ids=on_default.values_list("pk", flat=True), actor=actor, organisation_id=organisation.pk
        )
    return policy
