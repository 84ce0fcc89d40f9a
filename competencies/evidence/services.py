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

from collections.abc import Iterable, Mapping
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import StaleEdit
from programmes.models import Membership, Role
from trainees.models import Trainee

from ..access import can_assess
from ..models import Competency, Evidence, EvidenceClaim, EvidenceComment, EvidenceFile
from ..signals import announce_attainment_changed
from .uploads import check_files

EDITABLE_STATUSES = (Evidence.Status.SUBMITTED, Evidence.Status.RETURNED)
STALE_MESSAGE = (
    "Someone else changed this evidence after you opened the page. "
    "Reload the page to see their change, then make yours again."
)


# --- Checks -------------------------------------------------------------------------------------


def _is_assessor(user, evidence: Evidence) -> bool:
    """Whether this person assesses the evidence (access.can_assess, the one rule), through
    their mentor membership of the trainee's organisation. At most one query."""
    if user is None or not user.is_authenticated or evidence.trainee.mentor_id != user.pk:
        return False  # not the trainee's mentor: no membership of theirs could pass
    membership = Membership.objects.active().filter(
        user=user, organisation_id=evidence.trainee.organisation_id, role=Role.MENTOR
    ).first()
    return can_assess(membership, evidence)


def _check_assessor(user, evidence: Evidence) -> None:
    if not _is_assessor(user, evidence):
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
) -> Evidence:
    """Submit evidence against competencies of any frameworks at once, with up to five files
    (each checked by its contents, see uploads.py). Callers check the actor may submit for this
    trainee (the trainee themself: selectors.can_submit_for)."""
    errors: dict[str, list[str]] = {}
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

    evidence = Evidence(trainee=trainee, submitted_by=actor, status=Evidence.Status.SUBMITTED, **fields)
    evidence.full_clean()
    with set_actor(actor):
        evidence.save()
        for competency in chosen:  # one by one (not bulk_create), so each claim is audited
            EvidenceClaim.objects.create(evidence=evidence, competency=competency)
        _attach(evidence, checked)
    return evidence


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
) -> Evidence:
    """Change evidence that is waiting for assessment or was returned. Returned evidence goes
    back to the assessor (status submitted), with a thread entry saying so (and ``note``, what
    the trainee changed). Locks the evidence row. Signed-off evidence cannot be changed: its
    levels are part of the trainee's record."""
    locked = _lock(evidence, expected_version)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError("Signed-off evidence cannot be changed. Add new evidence instead.")
    errors: dict[str, list[str]] = {}
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


@transaction.atomic
def evidence_sign_off(
    *,
    evidence: Evidence,
    assessor,
    levels: Mapping[int, int],
    comment: str = "",
    expected_version: int | None = None,
) -> Evidence:
    """Sign evidence off, awarding a level of each claimed competency's scale (``levels``:
    competency id -> index into that competency's scale). Locks the evidence row; only the
    trainee's mentor may do it (PermissionDenied otherwise); the evidence must be waiting for
    assessment. Adds the decision to the thread."""
    locked = _lock(evidence, expected_version)
    _check_assessor(assessor, locked)
    if locked.status != Evidence.Status.SUBMITTED:
        raise ValidationError(
            f"This evidence is {locked.get_status_display().lower()}: only evidence waiting for "
            "assessment can be signed off."
        )
    claims = list(
        locked.claims.select_related("competency__scale", "competency__framework__scale")
    )
    levels = {int(k): v for k, v in levels.items()}
    errors = {}
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
    unknown = set(levels) - {c.competency_id for c in claims}
    if unknown:
        errors["__all__"] = "Award levels only for the competencies this evidence claims."
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    locked.status = Evidence.Status.SIGNED_OFF
    locked.assessed_by = assessor
    locked.assessed_at = now
    locked.version += 1
    locked.full_clean()
    with set_actor(assessor):
        locked.save()
        for claim in claims:
            claim.save(update_fields=["level_awarded"])
        EvidenceComment.objects.create(
            evidence=locked, author=assessor, kind=EvidenceComment.Kind.SIGNED_OFF,
            text=(comment or "").strip(),
        )
    announce_attainment_changed(
        [(locked.trainee_id, claim.competency_id) for claim in claims], "signed_off"
    )
    return locked


@transaction.atomic
def evidence_return(
    *, evidence: Evidence, assessor, comment: str, expected_version: int | None = None
) -> Evidence:
    """Return evidence to the trainee for changes, saying what to change (required). Locks
    the evidence row; only the trainee's mentor may do it; only evidence waiting for
    assessment can be returned."""
    locked = _lock(evidence, expected_version)
    _check_assessor(assessor, locked)
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
    elif _is_assessor(author, evidence):
        kind = EvidenceComment.Kind.COMMENT
    else:
        raise PermissionDenied("Only the trainee and their mentor take part in this conversation.")
    comment = EvidenceComment(evidence=evidence, author=author, kind=kind, text=text)
    comment.full_clean()
    with set_actor(author):
        comment.save()
    return comment
