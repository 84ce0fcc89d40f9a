"""Writes for trainees, enrolments, learning contracts, study time and reviews.

Each runs in a transaction, validates before saving, and records who did it: django-auditlog
logs every field change with the actor (set here explicitly, so changes made by commands and
Celery jobs are attributed too). Callers check the actor may do it (see selectors.can_*).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_log_created
from core.bulk import bulk_insert, insert_values
from core.errors import StaleEdit
from core.instances import build_instances
from programmes.models import Cohort, Membership, Organisation, Role

from .models import (
    ContractSignature,
    Enrolment,
    EnrolmentTransition,
    LearningContract,
    ProgressReview,
    StudySession,
    Trainee,
)
from .signals import enrolment_status_changed, enrolments_created

TRAINEE_FIELDS = (
    "first_name", "last_name", "email", "employee_number", "band", "job_title",
    "clinical_area", "line_manager", "mentor", "user",
)


def _set(instance, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} here")
    for name, value in fields.items():
        setattr(instance, name, value)


def _check_people(trainee: Trainee) -> None:
    """The line manager and mentor must hold those roles in the trainee's organisation, and
    the ward must be the organisation's own."""
    errors = {}
    checks = (("line_manager", trainee.line_manager_id, (Role.MANAGER, Role.TRAINING_LEAD)),
              ("mentor", trainee.mentor_id, (Role.MENTOR,)))
    for field, user_id, roles in checks:
        if user_id and not Membership.objects.active().filter(
            user_id=user_id, organisation_id=trainee.organisation_id, role__in=roles
        ).exists():
            errors[field] = f"Choose someone with the {field.replace('_', ' ')} role in this organisation."
    if trainee.clinical_area_id and trainee.clinical_area.organisation_id != trainee.organisation_id:
        errors["clinical_area"] = "Choose a ward or clinical area of this organisation."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def trainee_create(*, organisation: Organisation, actor, **fields) -> Trainee:
    trainee = Trainee(organisation=organisation)
    _set(trainee, fields, TRAINEE_FIELDS)
    trainee.full_clean()
    _check_people(trainee)
    with set_actor(actor):
        trainee.save()
    return trainee


def trainee_fingerprint(trainee: Trainee) -> str:
    """A digest of the record's editable fields as they are now. The edit form carries the
    one it was drawn from, so a save over someone else's later change can be refused without
    a version column (compare-and-swap on the content)."""
    values = [str(getattr(trainee, Trainee._meta.get_field(name).attname)) for name in TRAINEE_FIELDS]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


@transaction.atomic
def trainee_update(
    *, trainee: Trainee, actor, expected_fingerprint: str | None = None, **fields
) -> Trainee:
    """Change a trainee's record. Locks the row; with ``expected_fingerprint`` (what the
    editor's page was drawn from) raises StaleEdit if someone else saved it since."""
    if expected_fingerprint is not None:
        locked = Trainee.objects.select_for_update().get(pk=trainee.pk)
        if trainee_fingerprint(locked) != expected_fingerprint:
            raise StaleEdit(
                "Someone else changed this trainee's record while you were editing it. "
                "Reload the page to see their change, then make yours again."
            )
    _set(trainee, fields, TRAINEE_FIELDS)
    trainee.full_clean()
    _check_people(trainee)
    with set_actor(actor):
        trainee.save()
    return trainee


# --- Enrolments --------------------------------------------------------------------------------

DEFAULT_EXPECTATIONS = {
    "trainee_expectations": (
        "Attend taught sessions and use protected study time for study. Keep my portfolio of "
        "work-based evidence up to date and ask for help early."
    ),
    "mentor_expectations": (
        "Meet the trainee regularly, observe practice, give feedback and assess evidence "
        "against the competencies within two weeks of submission."
    ),
    "manager_expectations": (
        "Release the trainee for protected study time as planned, arrange cover, and take part "
        "in progress reviews at least every 12 weeks."
    ),
    "lecturer_expectations": (
        "Deliver the taught programme, mark academic work, and take part in progress reviews "
        "with the trainee and their manager."
    ),
}


@transaction.atomic
def enrolment_create(
    *, trainee: Trainee, cohort: Cohort, actor, enrolled_on: date | None = None,
    status: str = Enrolment.Status.APPLIED, reason: str = "",
    study_hours_per_week=None,
) -> Enrolment:
    """Enrol a trainee on a cohort, with its first status kept in the history and a learning
    contract drafted from the default expectations, ready for the four parties to sign."""
    if cohort.programme.organisation_id != trainee.organisation_id:
        raise ValidationError("A trainee can only join cohorts of their own organisation's programmes.")
    if status not in (Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE):
        raise ValidationError({"status": "A new enrolment starts as applied or active."})
    enrolment = Enrolment(
        trainee=trainee, cohort=cohort, status=status,
        enrolled_on=enrolled_on or max(cohort.starts_on, timezone.localdate()),
        study_hours_per_week=study_hours_per_week,
    )
    enrolment.full_clean()
    with set_actor(actor):
        enrolment.save()
        EnrolmentTransition.objects.create(
            enrolment=enrolment, from_status="", to_status=status, actor=actor,
            reason=reason or "Enrolled",
        )
        LearningContract.objects.create(enrolment=enrolment, **DEFAULT_EXPECTATIONS)
    # A trainee enrolled straight as active joins open evaluation stages, like one activated later.
    transaction.on_commit(
        lambda: enrolment_status_changed.send(
            sender=Enrolment, enrolment=enrolment, from_status="", to_status=status
        )
    )
    return enrolment


# --- In bulk (the CSV import) ---------------------------------------------------------------

FOREIGN_KEYS = {"trainee": ("organisation", "user", "clinical_area", "line_manager", "mentor"),
                "enrolment": ("trainee", "cohort")}


@dataclass
class NewEnrolment:
    """One enrolment of :func:`enrolments_create_bulk`: an existing trainee, or a new one
    (``trainee.pk`` is None) to create first."""

    trainee: Trainee
    enrolled_on: date | None = None
    status: str = Enrolment.Status.APPLIED
    reason: str = ""
    key: object = None  # the caller's label for this row (a line of a file), given back in errors


class BulkRefused(ValidationError):
    """A row of a bulk write failed its checks; ``key`` says which (nothing was written)."""

    def __init__(self, key, error: ValidationError):
        super().__init__(error.messages)
        self.key = key


@transaction.atomic
def enrolments_create_bulk(
    *, cohort: Cohort, actor, rows: list[NewEnrolment], fields_checked: bool = False
) -> list[Enrolment]:
    """What trainee_create and enrolment_create do for each row, for many rows at once: the
    new trainees, the enrolments with their first status and drafted learning contract, and
    the same audit entries (actor ``actor``), in a constant number of queries (a COPY per
    table: core.bulk). Sends ``enrolments_created`` after commit (evaluations adds
    the interviews of open stages for the active ones), instead of a signal per enrolment.

    Every row is checked before anything is written: the organisation of the cohort, the
    first status, the models' ``clean``, and each field's value, choice and length as
    ``clean_fields`` checks them, unless ``fields_checked`` says the caller has checked those
    (the enrolment import's plan checks every one of them: tests/trainee_import/
    test_validation.py shows each refused there; checking them twice cost a tenth of an
    import's time). The caller has checked what needs the database (the line manager's and
    mentor's roles, the ward, no duplicate employee numbers or enrolments: the import's plan
    does, in three queries), and the database's constraints back that up. Raises BulkRefused
    naming the first row that fails; nothing is written."""
    today = timezone.localdate()
    new_trainees = []
    # Made at once (core.instances), each checked below before anything is written.
    enrolments = build_instances(Enrolment, {
        "trainee": [row.trainee for row in rows],
        "status": [row.status for row in rows],
        "enrolled_on": [row.enrolled_on or max(cohort.starts_on, today) for row in rows],
    }, shared={"cohort": cohort})
    for row, enrolment in zip(rows, enrolments, strict=True):
        trainee = row.trainee
        try:
            if trainee.organisation_id != cohort.programme.organisation_id:
                raise ValidationError("A trainee can only join cohorts of their own organisation's programmes.")
            if row.status not in (Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE):
                raise ValidationError({"status": "A new enrolment starts as applied or active."})
            if trainee.pk is None:
                if not fields_checked:
                    trainee.clean_fields(exclude=FOREIGN_KEYS["trainee"])
                trainee.clean()
                new_trainees.append(trainee)
            if not fields_checked:
                enrolment.clean_fields(exclude=FOREIGN_KEYS["enrolment"])
            enrolment.clean()
        except ValidationError as exc:
            raise BulkRefused(row.key, exc) from exc
    try:
        with transaction.atomic():
            bulk_insert(new_trainees)
            bulk_insert(enrolments)  # takes the trainees' new pks
    except IntegrityError:
        # Someone else saved a clashing row since the caller checked: name the row if we can.
        _name_the_clash(cohort, rows, new={id(trainee) for trainee in new_trainees})
        raise
    insert_values(EnrolmentTransition, columns={
        "enrolment_id": [enrolment.pk for enrolment in enrolments],
        "to_status": [enrolment.status for enrolment in enrolments],
        "reason": [row.reason or "Enrolled" for row in rows],
    }, constants={"from_status": "", "actor_id": actor.pk if actor is not None else None})
    contracts = bulk_insert(build_instances(LearningContract, {"enrolment": enrolments}, shared=DEFAULT_EXPECTATIONS))
    audit_log_created([*new_trainees, *enrolments, *contracts], actor=actor)
    transaction.on_commit(
        lambda: enrolments_created.send(sender=Enrolment, cohort=cohort, enrolments=enrolments, actor=actor)
    )
    return enrolments


def _name_the_clash(cohort: Cohort, rows: list[NewEnrolment], *, new: set[int]) -> None:
    """After a refused bulk insert (rolled back): raise BulkRefused for the first row whose
    employee number or enrolment clashes with a saved row or an earlier row; return if none
    does. ``new``: the id() of the trainees that were to be created."""
    numbers = set(Trainee.objects.filter(
        organisation_id=cohort.programme.organisation_id,
        employee_number__in=[row.trainee.employee_number for row in rows if id(row.trainee) in new],
    ).values_list("employee_number", flat=True))
    enrolled = set(Enrolment.objects.filter(
        cohort=cohort, trainee_id__in=[row.trainee.pk for row in rows if id(row.trainee) not in new],
    ).values_list("trainee_id", flat=True))
    for row in rows:
        if id(row.trainee) in new:
            if row.trainee.employee_number in numbers:
                constraint = Trainee._meta.constraints[0]
                raise BulkRefused(row.key, ValidationError(constraint.violation_error_message))
            numbers.add(row.trainee.employee_number)
        elif row.trainee.pk in enrolled:
            raise BulkRefused(row.key, ValidationError("This trainee is already enrolled on this cohort."))


def _lock(enrolment: Enrolment, expected_version: int | None) -> Enrolment:
    locked = Enrolment.objects.select_for_update().select_related("cohort", "trainee").get(pk=enrolment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(
            "Someone else changed this enrolment while you were editing it. "
            "Reload the page to see their change, then make yours again."
        )
    return locked


@transaction.atomic
def enrolment_transition(
    *, enrolment: Enrolment, to_status: str, actor, reason: str = "",
    outcome: str = "", outcome_detail: str = "", expected_version: int | None = None,
    on: date | None = None,
) -> Enrolment:
    """Move an enrolment along an allowed transition, keeping who, when and why.

    Locks the enrolment row. Completing needs an outcome (and, for further training, what);
    pausing or withdrawing needs a reason. Sends ``enrolment_status_changed`` after commit so
    that later stages (evaluations) can react, e.g. cancel a withdrawn trainee's interviews.
    """
    locked = _lock(enrolment, expected_version)
    Status = Enrolment.Status
    if to_status not in Enrolment.ALLOWED_TRANSITIONS.get(locked.status, ()):
        allowed = ", ".join(Status(s).label.lower() for s in sorted(Enrolment.ALLOWED_TRANSITIONS[locked.status]))
        raise ValidationError({"to_status": (
            f"An enrolment that is {Status(locked.status).label.lower()} cannot become "
            f"{Status(to_status).label.lower() if to_status in Status.values else repr(to_status)}"
            + (f"; it can become {allowed}." if allowed else "; it is closed.")
        )})
    if to_status in (Status.PAUSED, Status.WITHDRAWN) and not reason.strip():
        raise ValidationError({"reason": "Say why, for the record."})
    if to_status == Status.COMPLETED:
        if outcome not in Enrolment.Outcome.values:
            raise ValidationError({"outcome": "Choose the outcome of the programme for this trainee."})
        if outcome == Enrolment.Outcome.PROGRESSED and not outcome_detail.strip():
            raise ValidationError({"outcome_detail": "Say what further training they progressed to."})
        locked.outcome, locked.outcome_detail = outcome, outcome_detail.strip()
    if to_status in (Status.COMPLETED, Status.WITHDRAWN):
        locked.ended_on = on or timezone.localdate()
    from_status = locked.status
    locked.status = to_status
    locked.version += 1
    locked.full_clean()
    with set_actor(actor):
        locked.save()
        EnrolmentTransition.objects.create(
            enrolment=locked, from_status=from_status, to_status=to_status,
            actor=actor, reason=reason.strip(),
        )
    transaction.on_commit(
        lambda: enrolment_status_changed.send(
            sender=Enrolment, enrolment=locked, from_status=from_status, to_status=to_status
        )
    )
    return locked


@transaction.atomic
def enrolment_update_plan(
    *, enrolment: Enrolment, actor, study_hours_per_week, expected_version: int | None = None
) -> Enrolment:
    """Adjust one trainee's weekly study hours (None: back to the cohort's plan)."""
    locked = _lock(enrolment, expected_version)
    locked.study_hours_per_week = study_hours_per_week
    locked.version += 1
    locked.full_clean()
    with set_actor(actor):
        locked.save()
    return locked


# --- Learning contracts ------------------------------------------------------------------------

@transaction.atomic
def contract_update(
    *, contract: LearningContract, actor, expected_version: int | None = None, **expectations
) -> LearningContract:
    """Change what the parties undertake. Signatures given to the old wording are withdrawn:
    people must sign what the contract now says."""
    locked = LearningContract.objects.select_for_update().get(pk=contract.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit("Someone else changed this contract while you were editing it. Reload and try again.")
    changed = any(getattr(locked, k) != v for k, v in expectations.items())
    _set(locked, expectations, tuple(DEFAULT_EXPECTATIONS))
    if not changed:
        return locked
    locked.version += 1
    locked.full_clean()
    with set_actor(actor):
        locked.save()
        for signature in locked.signatures.all():  # one by one, so each removal is audited
            signature.delete()
    return locked


@transaction.atomic
def contract_sign(*, contract: LearningContract, party: str, user, allowed_parties: set[str]) -> ContractSignature:
    """Sign as ``party``: the signed-in person confirming, timestamped. ``allowed_parties``
    comes from selectors.contract_parties_for (who this person is to the trainee)."""
    if party not in allowed_parties:
        raise ValidationError({"party": "You cannot sign this contract as that party."})
    if contract.signatures.filter(party=party).exists():
        raise ValidationError({"party": f"The {LearningContract.Party(party).label.lower()} has already signed."})
    signature = ContractSignature(contract=contract, party=party, signed_by=user)
    signature.full_clean()
    with set_actor(user):
        signature.save()
    return signature


# --- Study time and reviews -------------------------------------------------------------------

def _check_within_enrolment(enrolment: Enrolment, day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future."})
    if day < enrolment.cohort.starts_on or day < enrolment.enrolled_on:
        raise ValidationError({field: "The date must be on or after the trainee started on the cohort."})
    if day > enrolment.cohort.ends_on:
        raise ValidationError({field: "The date must be before the cohort's expected end."})


def _study_session(
    *, enrolment: Enrolment, actor, date: date, hours, outcome: str = StudySession.Outcome.TAKEN,
    lost_reason: str = "", cover_arranged: bool = False, note: str = "",
) -> StudySession:
    """A study session as recording it checks it first (not yet saved, nor full_clean'd)."""
    _check_within_enrolment(enrolment, date, "date")
    if outcome == StudySession.Outcome.TAKEN:
        lost_reason = ""
    elif not lost_reason:
        raise ValidationError({"lost_reason": "Say why the study time was lost."})
    return StudySession(
        enrolment=enrolment, date=date, hours=hours, outcome=outcome, lost_reason=lost_reason,
        cover_arranged=cover_arranged, note=note.strip(), recorded_by=actor,
    )


@transaction.atomic
def study_session_record(
    *, enrolment: Enrolment, actor, date: date, hours, outcome: str = StudySession.Outcome.TAKEN,
    lost_reason: str = "", cover_arranged: bool = False, note: str = "",
) -> StudySession:
    session = _study_session(
        enrolment=enrolment, actor=actor, date=date, hours=hours, outcome=outcome,
        lost_reason=lost_reason, cover_arranged=cover_arranged, note=note,
    )
    session.full_clean()
    with set_actor(actor):
        session.save()
    return session


@transaction.atomic
def study_sessions_record(*, enrolment: Enrolment, actor, sessions: list[dict]) -> list[StudySession]:
    """Many sessions of one enrolment recorded by one person, all or none (the demo's weekly
    log of up to two years): each checked as study_session_record checks it, then saved in one
    INSERT with the audit entries each save() would have written (core.bulk, core.audit). One
    session at a time cost 13 queries, a thousand of them half the demo's seeding. What is the
    same for every session is checked once: that the enrolment and the person exist
    (full_clean's look-ups of the two foreign keys), and the table's check constraints once for
    each distinct (hours, outcome, lost reason), the only fields they read."""
    recorded, constraints_checked = [], set()
    for fields in sessions:
        session = _study_session(enrolment=enrolment, actor=actor, **fields)
        read_by_constraints = (session.hours, session.outcome, session.lost_reason)
        session.full_clean(
            exclude=["enrolment", "recorded_by"] if recorded else None,
            validate_constraints=read_by_constraints not in constraints_checked,
        )
        constraints_checked.add(read_by_constraints)
        recorded.append(session)
    bulk_insert(recorded)
    audit_log_created(recorded, actor=actor)
    return recorded


@transaction.atomic
def review_record(
    *, enrolment: Enrolment, actor, held_on: date, notes: str, actions: str = "",
    trainee_present: bool = True, manager_present: bool = True, tutor_present: bool = True,
) -> ProgressReview:
    _check_within_enrolment(enrolment, held_on, "held_on")
    if not notes.strip():
        raise ValidationError({"notes": "Write what was discussed."})
    review = ProgressReview(
        enrolment=enrolment, held_on=held_on, notes=notes.strip(), actions=actions.strip(),
        trainee_present=trainee_present, manager_present=manager_present,
        tutor_present=tutor_present, recorded_by=actor,
    )
    review.full_clean()
    with set_actor(actor):
        review.save()
    return review
