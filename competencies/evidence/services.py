"""Writes for work-based evidence: submitting, changing, signing off, returning, replying.

Each runs in a transaction, validates before saving (a ValidationError keyed by the form field
it is about), and records who did it: django-auditlog logs every change with the actor, set here
explicitly so that commands and Celery jobs are attributed too.

Who may assess: the trainee's own mentor (the person named as mentor on the trainee's record)
while acting as a mentor / assessor of the trainee's organisation, and never on their own
evidence. Other mentors do not see the evidence (trainees_visible_to shows a mentor their
mentees only), and line managers, lecturers and training leads do not sign off: to have
someone else assess, a training lead changes the trainee's mentor.

Optimistic locking: the forms carry the ``version`` they were drawn with; a change made after
someone else's (``expected_version`` no longer current) is refused with a message saying so.
Every change to the evidence row adds one to its version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import StaleEdit
from trainees.models import Enrolment, Trainee

from ..assessors import user_may_assess_trainee
from ..models import (
    AssessmentPolicy,
    AttainmentDecision,
    Competency,
    Evidence,
    EvidenceClaim,
    EvidenceComment,
    EvidenceFile,
    RoleProfileItem,
)
from ..signals import announce_attainment_changed
from ..validity import valid_until_for
from .uploads import check_files

EDITABLE_STATUSES = (Evidence.Status.SUBMITTED, Evidence.Status.RETURNED)
STALE_MESSAGE = (
    "Someone else changed this evidence after you opened the page. "
    "Reload the page to see their change, then make yours again."
)


# --- Checks -------------------------------------------------------------------------------------


def _check_assessor(user, evidence: Evidence) -> None:
    if not user_may_assess_trainee(user, evidence.trainee):
        raise PermissionDenied(
            "Only the trainee's mentor can assess this evidence. "
            "A training lead can change who the trainee's mentor is."
        )


def _lock(evidence: Evidence, expected_version: int | None) -> Evidence:
    """The evidence row, locked until the transaction ends, checked against the version read."""
    locked = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("trainee")
        .get(pk=evidence.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(STALE_MESSAGE)
    return locked


def _competencies_for(trainee: Trainee, competencies: Iterable) -> list[Competency]:
    """The chosen competencies (objects or ids), each from a framework the trainee's
    organisation may use (a national one or its own). At least one."""
    ids = {getattr(c, "pk", c) for c in competencies}
    if not ids:
        raise ValidationError({"competencies": "Choose at least one competency this evidence shows."})
    try:
        ids = {int(pk) for pk in ids}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"competencies": "Choose competencies from the list."}) from exc
    found = list(
        Competency.objects.filter(pk__in=ids).filter(
            Q(framework__organisation__isnull=True)
            | Q(framework__organisation_id=trainee.organisation_id)
        )
    )
    if len(found) != len(ids):
        raise ValidationError(
            {"competencies": "Choose competencies from the frameworks your organisation uses."}
        )
    return found


def _check_fields(*, title: str, kind: str, occurred_on: date | None, description: str) -> dict:
    errors = {}
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        errors["title"] = "Enter a title for this evidence."
    elif len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer."
    if kind not in Evidence.Kind.values:
        errors["kind"] = "Choose what kind of evidence this is."
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date of the evidence."
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date of the evidence must be today or in the past."
    if not description:
        errors["description"] = "Describe what you did and what it shows."
    if errors:
        raise ValidationError(errors)
    return {"title": title, "kind": kind, "occurred_on": occurred_on, "description": description}


def _checked_files(files, *, already_attached: int):
    checked, errors = check_files(files, already_attached=already_attached)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _attach(evidence: Evidence, checked) -> None:
    for item in checked:
        record = EvidenceFile(
            evidence=evidence,
            original_name=item.original_name,
            content_type=item.file_type.content_type,
            size=item.upload.size,
        )
        item.upload.seek(0)
        record.file.save(item.stored_name, item.upload, save=False)
        record.save()


# --- Versions of attainment ------------------------------------------------------------------------

# Decisions that say the trainee is competent at a level, and so run for a validity period.
VALIDATED_KINDS = (
    AttainmentDecision.Kind.SIGNED_OFF, AttainmentDecision.Kind.CONFIRMED,
    AttainmentDecision.Kind.CORRECTED, AttainmentDecision.Kind.REASSESSED,
)


def targets_of(trainee: Trainee, competency_ids: Iterable[int]) -> dict[int, int]:
    """{competency id: the highest target of the trainee's open programmes' role profiles}.
    One query."""
    programmes = Enrolment.objects.filter(
        trainee=trainee,
        status__in=(Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED,
                    Enrolment.Status.COMPLETED),
    ).values("cohort__programme_id")
    targets: dict[int, int] = {}
    for competency_id, target in RoleProfileItem.objects.filter(
        profile__programme_id__in=programmes, competency_id__in=list(competency_ids)
    ).values_list("competency_id", "target_level"):
        targets[competency_id] = max(target, targets.get(competency_id, target))
    return targets


def policy_for(organisation_id: int) -> AssessmentPolicy:
    """The organisation's assessment policy (an unsaved default when it has set none)."""
    return AssessmentPolicy.objects.filter(organisation_id=organisation_id).first() or AssessmentPolicy(
        organisation_id=organisation_id
    )


def decision_record(
    *,
    trainee: Trainee,
    competency: Competency,
    kind: str,
    level: int | None,
    decided_by,
    target_level: int | None = None,
    evidence: Evidence | None = None,
    self_assessment=None,
    comment: str = "",
    statement: str = "",
    declaration: str = "",
    policy: AssessmentPolicy | None = None,
    assessor_organisation=None,
) -> AttainmentDecision:
    """Add a version of the trainee's attainment in the competency (never changes an earlier
    one). A sign-off, confirmation, correction or reassessment runs for the competency's
    validity period from today. ``assessor_organisation``: the organisation the decider acts
    for, recorded with the version (default: the trainee's). Callers hold the transaction,
    check who may decide, and announce the change (announce_attainment_changed) once per
    action."""
    valid_until = None
    if kind in VALIDATED_KINDS and level is not None and (target_level is None or level >= target_level):
        policy = policy or policy_for(trainee.organisation_id)
        valid_until = valid_until_for(
            competency, timezone.localdate(), delegated_default=policy.delegated_task_validity_months
        )
    decision = AttainmentDecision(
        trainee=trainee, competency=competency, kind=kind, level=level, target_level=target_level,
        evidence=evidence, self_assessment=self_assessment, comment=(comment or "").strip(),
        statement=statement, declaration=declaration, decided_by=decided_by,
        assessor_organisation_id=(
            assessor_organisation.pk if assessor_organisation is not None else trainee.organisation_id
        ),
        decided_at=timezone.now(), valid_until=valid_until,
    )
    decision.full_clean()
    with set_actor(decided_by):
        decision.save()
    return decision


# --- Trainees: submitting and changing evidence -------------------------------------------------


@transaction.atomic
def evidence_submit(
    *,
    trainee: Trainee,
    actor,
    title: str,
    kind: str,
    occurred_on: date,
    description: str,
    competencies: Iterable,
    files: Iterable = (),
    declared: bool | None = None,
) -> Evidence:
    """Submit evidence against competencies of any frameworks at once, with up to five files
    (each checked by its contents, see uploads.py). Callers check the actor may submit for this
    trainee (the trainee themself: selectors.can_submit_for).

    When the organisation set a trainee's declaration, a form that shows it passes whether the
    trainee ticked it (``declared``): unticked is refused on the ``agree`` field; ticked keeps
    the declaration as it reads now with the evidence (and so with its sign-off). ``None``: the
    caller did not show it (the API, demo data); nothing is declared."""
    errors: dict[str, list[str]] = {}
    declaration = _declaration_check(trainee, declared, errors)
    fields = {}
    chosen: list[Competency] = []
    checked = []
    for step in (
        lambda: fields.update(
            _check_fields(title=title, kind=kind, occurred_on=occurred_on, description=description)
        ),
        lambda: chosen.extend(_competencies_for(trainee, competencies)),
        lambda: checked.extend(_checked_files(files, already_attached=0)),
    ):
        try:
            step()
        except ValidationError as exc:  # gather every field's problems for one form redraw
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    evidence = Evidence(
        trainee=trainee, submitted_by=actor, status=Evidence.Status.SUBMITTED, declaration=declaration, **fields
    )
    evidence.full_clean()
    with set_actor(actor):
        evidence.save()
        for competency in chosen:  # one by one (not bulk_create), so each claim is audited
            EvidenceClaim.objects.create(evidence=evidence, competency=competency)
        _attach(evidence, checked)
    return evidence


DECLARATION_MESSAGE = "Tick the box to make the declaration, or save your evidence as a draft"
STATEMENT_MESSAGE = "Tick the box to confirm the sign-off statement, or record progress instead"


def _declaration_check(trainee: Trainee, declared: bool | None, errors: dict) -> str:
    """The declaration to keep with the evidence ("" when none was made); adds the ``agree``
    field's error when the organisation set one and the trainee did not tick it."""
    if declared is None:
        return ""
    text = policy_for(trainee.organisation_id).trainee_declaration
    if text and not declared:
        errors.setdefault("agree", []).append(DECLARATION_MESSAGE)
    return text if declared else ""


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    actor,
    title: str,
    kind: str,
    occurred_on: date,
    description: str,
    competencies: Iterable,
    files: Iterable = (),
    remove_files: Iterable[int] = (),
    note: str = "",
    expected_version: int | None = None,
    declared: bool | None = None,
) -> Evidence:
    """Change evidence that is waiting for assessment or was returned. Returned evidence goes
    back to the assessor (status submitted), with a thread entry saying so (and ``note``, what
    the trainee changed). Locks the evidence row. Signed-off evidence cannot be changed: its
    levels are part of the trainee's record. ``declared`` as for evidence_submit (a change
    renews the declaration)."""
    locked = _lock(evidence, expected_version)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError("Signed-off evidence cannot be changed. Add new evidence instead.")
    errors: dict[str, list[str]] = {}
    declaration = _declaration_check(locked.trainee, declared, errors)
    fields, chosen = {}, []
    remove_ids = {int(pk) for pk in remove_files}
    current_files = list(locked.files.all())
    keep = [f for f in current_files if f.pk not in remove_ids]
    checked = []
    for step in (
        lambda: fields.update(
            _check_fields(title=title, kind=kind, occurred_on=occurred_on, description=description)
        ),
        lambda: chosen.extend(_competencies_for(locked.trainee, competencies)),
        lambda: checked.extend(_checked_files(files, already_attached=len(keep))),
    ):
        try:
            step()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    resubmitted = locked.status == Evidence.Status.RETURNED
    for name, value in fields.items():
        setattr(locked, name, value)
    if declared is not None:
        locked.declaration = declaration
    locked.status = Evidence.Status.SUBMITTED
    locked.version += 1
    locked.full_clean()
    chosen_ids = {c.pk for c in chosen}
    with set_actor(actor):
        locked.save()
        for claim in locked.claims.exclude(competency_id__in=chosen_ids):
            claim.delete()  # one by one, so each removal is audited
        existing = set(locked.claims.values_list("competency_id", flat=True))
        for competency in chosen:
            if competency.pk not in existing:
                EvidenceClaim.objects.create(evidence=locked, competency=competency)
        for old in current_files:
            if old.pk in remove_ids:
                stored = old.file
                old.delete()
                transaction.on_commit(lambda stored=stored: stored.delete(save=False))
        _attach(locked, checked)
        if resubmitted:
            text = "Resubmitted for assessment."
            if note.strip():
                text = f"{text}\n\n{note.strip()}"
            EvidenceComment.objects.create(
                evidence=locked, author=actor, kind=EvidenceComment.Kind.REPLY, text=text
            )
    return locked


# --- Assessors: signing off and returning -------------------------------------------------------


BELOW_TARGET_MESSAGE = (
    "{level} is below the target for {competency} ({target}): record progress (not yet at "
    "target) instead, or choose a level at or above the target."
)


@transaction.atomic
def evidence_sign_off(
    *,
    evidence: Evidence,
    assessor,
    levels: Mapping[int, int],
    comment: str = "",
    expected_version: int | None = None,
    below_target: bool | None = None,
    authorise: Callable[[Evidence], None] | None = None,
    assessor_organisation=None,
    statement_confirmed: bool | None = None,
) -> Evidence:
    """Assess evidence waiting for assessment, awarding a level of each claimed competency's
    scale (``levels``: competency id -> index into that competency's scale). Locks the evidence
    row; only the trainee's assessor may do it (PermissionDenied otherwise).

    Two actions, never confused: a sign-off (every level at or above the role profile's
    target; ``below_target=False``) and "Record progress: not yet at target" (at least one
    level below; ``below_target=True``); each refuses the other's levels with a message on the
    level's field. ``None`` picks by the levels (commands, demo data). The evidence reads
    "Signed off" only when every level is at target.

    Each level becomes a version of attainment (with the organisation's assessor statement as
    it reads now), unless it is lower than a current, unexpired version (then the evidence
    stands as evidence only). Announces attainment_changed after commit.

    A higher floor with its own rule of who may assess (delegation: a partner's registered
    practitioner) passes ``authorise`` (called with the locked evidence; raises
    PermissionDenied) and the assessor's ``assessor_organisation`` (default: the trainee's).

    When the organisation set an assessor's statement, a form that shows it passes whether the
    assessor ticked it (``statement_confirmed``): a sign-off unticked is refused on the
    ``agree`` field (recording progress needs no statement). ``None``: the caller did not show
    it (commands, demo data). The statement as it reads now, and the trainee's declaration made
    with the evidence, are kept with each version."""
    from .selectors import current_decisions  # selectors import this module

    locked = _lock(evidence, expected_version)
    if authorise is None:
        _check_assessor(assessor, locked)
    else:
        authorise(locked)
    if locked.status != Evidence.Status.SUBMITTED:
        raise ValidationError(
            f"This evidence is {locked.get_status_display().lower()}: only evidence waiting for "
            "assessment can be signed off."
        )
    claims = list(
        locked.claims.select_related("competency__scale", "competency__framework__scale")
    )
    targets = targets_of(locked.trainee, [c.competency_id for c in claims])
    levels = {int(k): v for k, v in levels.items()}
    errors = {}
    below = []
    for claim in claims:
        scale = claim.competency.effective_scale()
        level = levels.get(claim.competency_id)
        key = f"level_{claim.competency_id}"
        if level is None or level == "":
            errors[key] = f"Choose the level reached for {claim.competency}."
            continue
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = -1
        if not 0 <= level < len(scale.levels):
            errors[key] = f"Choose one of the levels of {scale.name} for {claim.competency}."
            continue
        claim.level_awarded = level
        target = targets.get(claim.competency_id)
        if target is not None and level < target:
            below.append(claim)
            if below_target is False:
                errors[key] = BELOW_TARGET_MESSAGE.format(
                    level=scale.levels[level]["name"], competency=claim.competency,
                    target=scale.levels[target]["name"] if target < len(scale.levels) else target + 1,
                )
    unknown = set(levels) - {c.competency_id for c in claims}
    if unknown:
        errors["__all__"] = "Award levels only for the competencies this evidence claims."
    if below_target is True and not below and not errors:
        errors["__all__"] = (
            "Every level you chose is at or above its target: sign the evidence off instead."
        )
    policy = policy_for(locked.trainee.organisation_id)
    if statement_confirmed is False and policy.assessor_statement and not below:
        errors["agree"] = STATEMENT_MESSAGE
    if errors:
        raise ValidationError(errors)

    progress = bool(below)
    now = timezone.now()
    locked.status = Evidence.Status.PROGRESS if progress else Evidence.Status.SIGNED_OFF
    locked.assessed_by = assessor
    locked.assessed_at = now
    locked.assessor_organisation_id = (
        assessor_organisation.pk if assessor_organisation is not None else locked.trainee.organisation_id
    )
    locked.version += 1
    locked.full_clean()
    today = timezone.localdate()
    current = {
        d.competency_id: d
        for d in current_decisions([locked.trainee_id], [c.competency_id for c in claims])
    }
    changed = []
    with set_actor(assessor):
        locked.save()
        for claim in claims:
            claim.save(update_fields=["level_awarded"])
        EvidenceComment.objects.create(
            evidence=locked, author=assessor,
            kind=EvidenceComment.Kind.PROGRESS if progress else EvidenceComment.Kind.SIGNED_OFF,
            text=(comment or "").strip(),
        )
        for claim in claims:
            now_current = current.get(claim.competency_id)
            if (
                now_current is not None
                and now_current.kind != AttainmentDecision.Kind.WITHDRAWN
                and now_current.level is not None and now_current.level > claim.level_awarded
                and (now_current.valid_until is None or now_current.valid_until >= today)
            ):
                continue  # a lower level than is already current: evidence, not a new version
            target = targets.get(claim.competency_id)
            at_target = target is None or claim.level_awarded >= target
            decision_record(
                trainee=locked.trainee, competency=claim.competency,
                kind=AttainmentDecision.Kind.SIGNED_OFF if at_target else AttainmentDecision.Kind.PROGRESS,
                level=claim.level_awarded, target_level=target, decided_by=assessor, evidence=locked,
                comment=comment, statement=policy.assessor_statement if at_target else "", policy=policy,
                declaration=locked.declaration, assessor_organisation=assessor_organisation,
            )
            changed.append((locked.trainee_id, claim.competency_id))
    announce_attainment_changed(changed, "signed_off")
    return locked


@transaction.atomic
def evidence_return(
    *, evidence: Evidence, assessor, comment: str, expected_version: int | None = None,
    authorise: Callable[[Evidence], None] | None = None, assessor_organisation=None,
) -> Evidence:
    """Return evidence to the trainee for changes, saying what to change (required). Locks
    the evidence row; only the trainee's mentor may do it; only evidence waiting for
    assessment can be returned. ``authorise`` and ``assessor_organisation``: as for
    evidence_sign_off (a partner's registered practitioner returns it just as a mentor does)."""
    locked = _lock(evidence, expected_version)
    if authorise is None:
        _check_assessor(assessor, locked)
    else:
        authorise(locked)
    if locked.status != Evidence.Status.SUBMITTED:
        raise ValidationError(
            f"This evidence is {locked.get_status_display().lower()}: only evidence waiting for "
            "assessment can be returned."
        )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what the trainee needs to change."})
    locked.status = Evidence.Status.RETURNED
    locked.assessed_by = assessor
    locked.assessed_at = timezone.now()
    locked.assessor_organisation_id = (
        assessor_organisation.pk if assessor_organisation is not None else locked.trainee.organisation_id
    )
    locked.version += 1
    locked.full_clean()
    with set_actor(assessor):
        locked.save()
        EvidenceComment.objects.create(
            evidence=locked, author=assessor, kind=EvidenceComment.Kind.RETURNED, text=comment
        )
    return locked


# --- The thread -------------------------------------------------------------------------------


@transaction.atomic
def evidence_reply(*, evidence: Evidence, author, text: str) -> EvidenceComment:
    """Add to the evidence's thread: the trainee's reply, or the assessor's comment (which
    decides nothing). The thread is never edited or deleted, so it stays the record of the
    conversation. Does not change the evidence's version: a reply never conflicts with a
    decision."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your reply."})
    trainee = evidence.trainee
    if author is not None and trainee.user_id == author.pk:
        kind = EvidenceComment.Kind.REPLY
    elif user_may_assess_trainee(author, evidence.trainee):
        kind = EvidenceComment.Kind.COMMENT
    else:
        raise PermissionDenied("Only the trainee and their mentor take part in this conversation.")
    comment = EvidenceComment(evidence=evidence, author=author, kind=kind, text=text)
    comment.full_clean()
    with set_actor(author):
        comment.save()
    return comment


def decisions_backdate(*, evidence: Evidence | None = None, decisions=None, decided_at) -> None:
    """Move the versions just recorded from ``evidence`` (or the given decisions) to
    ``decided_at``, with their validity counted from that day: for demo data and tests that
    tell a story over months. Not a change to the record: no audit entry."""
    rows = AttainmentDecision.objects.select_related("competency__framework", "trainee")
    rows = rows.filter(evidence=evidence) if evidence is not None else rows.filter(
        pk__in=[getattr(d, "pk", d) for d in decisions or ()]
    )
    day = timezone.localtime(decided_at).date() if timezone.is_aware(decided_at) else decided_at.date()
    for decision in rows:
        valid_until = decision.valid_until
        if valid_until is not None:
            valid_until = valid_until_for(
                decision.competency, day,
                delegated_default=policy_for(decision.trainee.organisation_id).delegated_task_validity_months,
            )
        AttainmentDecision.objects.filter(pk=decision.pk).update(decided_at=decided_at, valid_until=valid_until)
