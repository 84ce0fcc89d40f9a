"""Writes for cross-organisation assessment, delegation records and supervision contacts.

Each runs in a transaction, validates (full_clean) before saving, sets the audit actor, and
sends email only after commit. Who may do what is decided by the selectors' ``may_*`` checks,
called here again so that the API, commands and tasks are held to the same rules as pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from competencies.evidence import services as evidence_services
from competencies.models import Competency, Evidence
from core.locks import lock_until_commit
from programmes.models import Membership, Partnership, Role
from trainees.models import Trainee

from . import selectors
from .models import Delegation, PartnershipCompetency, PractitionerRegistration, SupervisionContact
from .signals import announce_delegation_suspended

# A setting or service, never a patient: refuse what looks like an NHS number (10 digits,
# maybe spaced 3-3-4) or a date of birth.
_NHS_NUMBER = re.compile(r"\b\d{3}\s?\d{3}\s?\d{4}\b")
_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


# --- Partnerships: what a partner's practitioners may assess -------------------------------------


@transaction.atomic
def partnership_competencies_set(
    *, partnership: Partnership, competencies: Iterable[Competency], actor
) -> list[PartnershipCompetency]:
    """Name the competencies the partner's registered practitioners may assess on the lead
    organisation's trainees (replacing the list). Only competencies of the programme's role
    profile may be named. The lead organisation's training lead decides (checked by the view).
    Locks the partnership row, so it cannot end meanwhile; once it has ended or was declined,
    PermissionDenied with the reason (selectors.why_competencies_are_fixed)."""
    from competencies.models import RoleProfileItem

    partnership = Partnership.objects.select_for_update(of=("self",)).get(pk=partnership.pk)
    if reason := selectors.why_competencies_are_fixed(partnership):
        raise PermissionDenied(reason)
    wanted = {c.pk for c in competencies}
    allowed = set(
        RoleProfileItem.objects.filter(
            profile__programme_id=partnership.programme_id, competency_id__in=wanted
        ).values_list("competency_id", flat=True)
    )
    if wanted - allowed:
        raise ValidationError({"competencies": "Choose competencies of the programme's role profile."})
    with set_actor(actor):
        for row in partnership.assessable_competencies.exclude(competency_id__in=wanted):
            row.delete()
        have = set(partnership.assessable_competencies.values_list("competency_id", flat=True))
        for pk in sorted(wanted - have):
            row = PartnershipCompetency(partnership=partnership, competency_id=pk)
            row.full_clean()
            row.save()
    return list(partnership.assessable_competencies.select_related("competency"))


# The registers' own formats: an NMC PIN is two digits, a letter, four digits and a letter
# (12A3456E); an HCPC number is the profession's two letters and digits (PH123456).
_NUMBER_FORMATS = {
    PractitionerRegistration.Register.NMC: (
        re.compile(r"^\d{2}[A-Z]\d{4}[A-Z]$"), "An NMC PIN is 8 characters, like 12A3456E",
    ),
    PractitionerRegistration.Register.HCPC: (
        re.compile(r"^[A-Z]{2}\d{4,6}$"), "An HCPC number is 2 letters and up to 6 digits, like PH123456",
    ),
}


def normalised_registration_number(text: str) -> str:
    """A registration number as it is kept: no spaces, capitals ("12a 3456e" is 12A3456E)."""
    return re.sub(r"\s+", "", text or "").upper()


def registration_number_holder(
    *, register: str, registration_number: str, user_id: int | None
) -> PractitionerRegistration | None:
    """Another person's registration with this register and number, or None. A number is one
    person's: the same person may hold it at two organisations (a membership each), nobody
    else may. Compared as kept (normalised), so a row written some other way, spaced or in
    small letters, still counts. "Other professional register" is several registers, whose
    numbers may coincide, so it is not checked. One query."""
    number = normalised_registration_number(registration_number)
    if register == PractitionerRegistration.Register.OTHER or not number:
        return None
    # REPLACE rather than a regular expression: SQLite (the embedded default) has none.
    kept = Upper(Replace(F("registration_number"), Value(" "), Value("")))
    return (
        PractitionerRegistration.objects.annotate(kept_number=kept)
        .filter(register=register, kept_number=number)
        .exclude(membership__user_id=user_id)
        .select_related("membership__user", "membership__organisation")
        .first()
    )


def number_taken_message(holder: PractitionerRegistration, organisation_id: int) -> str:
    """Names the holder only to a lead of their own organisation: another organisation's
    staff are not its to list."""
    label = "NMC PIN" if holder.register == PractitionerRegistration.Register.NMC else "HCPC number"
    if holder.membership.organisation_id == organisation_id:
        whom = holder.membership.person_name
    else:
        whom = "a person in another organisation"
    return f"This {label} is already recorded for {whom}. Check the number: each {label} belongs to one person"


@transaction.atomic
def practitioner_register(
    *, membership: Membership, profession: str, register: str, registration_number: str,
    expires_on: date | None = None, actor,
) -> PractitionerRegistration:
    """Record that a mentor / assessor or line manager is a registered practitioner (or bring
    the record up to date: one record per membership). With an actor, only a training lead of
    the person's own organisation may (PermissionDenied otherwise): an organisation vouches
    for its own staff's registration, never another's. Checks the number's format for the
    NMC and HCPC, that no other person, in any organisation, holds the same register and
    number (registration_number_holder; the same person at two organisations may), and that
    the registration has not already expired. Takes a transaction-level advisory lock on the
    register and number, so two leads recording it at once for different people cannot both
    succeed. Audited (the actor)."""
    if actor is not None and not Membership.objects.active().filter(
        user=actor, organisation_id=membership.organisation_id, role=Role.TRAINING_LEAD
    ).exists():
        raise PermissionDenied("Only a training lead of their organisation can record a registration.")
    if membership.role not in (Role.MENTOR, Role.MANAGER):
        raise ValidationError(
            {"membership": "Only a mentor / assessor or a line manager can be a registered practitioner."}
        )
    number = normalised_registration_number(registration_number)
    errors = {}
    if register in _NUMBER_FORMATS and number:
        pattern, message = _NUMBER_FORMATS[register]
        if not pattern.match(number):
            errors["registration_number"] = message
    if number and "registration_number" not in errors:
        # Not a plain uniqueness (one person may hold the number at two organisations), so no
        # database constraint can say it: the lock makes the check and the save one step.
        lock_until_commit(f"registration:{register}:{number}")
        holder = registration_number_holder(
            register=register, registration_number=number, user_id=membership.user_id
        )
        if holder is not None:
            errors["registration_number"] = number_taken_message(holder, membership.organisation_id)
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = "This registration has expired: record it once it is renewed"
    if errors:
        raise ValidationError(errors)
    registration = PractitionerRegistration.objects.select_for_update().filter(membership=membership).first()
    registration = registration or PractitionerRegistration(membership=membership)
    registration.profession = (profession or "").strip()
    registration.register = register
    registration.registration_number = number
    if expires_on is not None or registration.pk is None:
        registration.expires_on = expires_on
    registration.full_clean()
    with set_actor(actor):
        registration.save()
    return registration


# --- Sign-off by a partner's registered practitioner -------------------------------------------


@transaction.atomic
def partner_evidence_sign_off(
    *,
    evidence: Evidence,
    membership: Membership,
    levels: Mapping[int, int],
    comment: str = "",
    expected_version: int | None = None,
    statement_confirmed: bool | None = None,
) -> Evidence:
    """A partner's registered practitioner signs off a lead organisation's trainee's evidence.

    Allowed when the acting membership is a registered practitioner of an organisation with an
    accepted partnership on a programme the trainee is enrolled on, and every competency the
    evidence claims is named on that partnership (PermissionDenied otherwise). The sign-off
    itself is competencies' ``evidence_sign_off`` (locks the row, checks levels, records the
    thread, announces ``attainment_changed`` after commit), recording the assessor's
    organisation beside their name. The trainee's organisation's sign-off statement applies
    (``statement_confirmed`` as in ``evidence_sign_off``)."""

    def authorise(locked: Evidence) -> None:
        if not selectors.may_partner_assess(membership=membership, evidence=locked):
            raise PermissionDenied(
                "You can assess this trainee only for the competencies your organisation's "
                "partnership names, as a registered practitioner."
            )

    return evidence_services.evidence_sign_off(
        evidence=evidence,
        assessor=membership.user,
        levels=levels,
        comment=comment,
        expected_version=expected_version,
        authorise=authorise,
        assessor_organisation=membership.organisation,
        statement_confirmed=statement_confirmed,
    )


@transaction.atomic
def partner_evidence_return(
    *, evidence: Evidence, membership: Membership, comment: str, expected_version: int | None = None
) -> Evidence:
    """A partner's registered practitioner returns the evidence to the trainee, saying what to
    change, on the same terms as partner_evidence_sign_off (who may; PermissionDenied
    otherwise). competencies' ``evidence_return`` locks the row and adds the comment to the
    evidence's thread; the record shows the practitioner's organisation."""

    def authorise(locked: Evidence) -> None:
        if not selectors.may_partner_assess(membership=membership, evidence=locked):
            raise PermissionDenied(
                "You can return this trainee's evidence only for the competencies your "
                "organisation's partnership names, as a registered practitioner."
            )

    return evidence_services.evidence_return(
        evidence=evidence, assessor=membership.user, comment=comment,
        expected_version=expected_version, authorise=authorise,
        assessor_organisation=membership.organisation,
    )


# --- Delegation records ---------------------------------------------------------------------------


def _check_setting(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"setting": "Enter the setting or service, for example the care home."})
    if _NHS_NUMBER.search(text) or _DATE.search(text):
        raise ValidationError(
            {"setting": "Name the setting or service only: no NHS numbers, dates of birth or other patient details."}
        )
    return text


def _people_to_tell(delegation: Delegation) -> list[str]:
    """The delegating practitioner, the worker, their line manager, and both organisations'
    training leads."""
    emails = {
        getattr(delegation.delegated_by, "email", ""),
        delegation.trainee.email,
        getattr(delegation.trainee.line_manager, "email", ""),
        getattr(delegation.trainee.user, "email", ""),
    }
    emails |= set(
        Membership.objects.active()
        .filter(
            organisation_id__in=[delegation.trainee.organisation_id, delegation.delegator_organisation_id],
            role=Role.TRAINING_LEAD,
        )
        .values_list("user__email", flat=True)
    )
    return sorted(e for e in emails if e)


def _tell(delegation: Delegation, subject: str, body: str) -> None:
    recipients = _people_to_tell(delegation)
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


class DelegationInForce(ValidationError):
    """The task is already delegated to the worker (``delegation``), in force: refused beside
    the task, naming it."""

    def __init__(self, delegation: Delegation):
        self.delegation = delegation
        where = f"by {delegation.delegator_organisation.name} from {delegation.starts_on:%-d %B %Y}"
        if delegation.status == Delegation.Status.SUSPENDED:
            then = (
                "It is suspended, and a suspended delegation is still in force: review it and end it "
                "before delegating the task again"
            )
        else:
            then = (
                f"It is {delegation.get_status_display().lower()}: end it before delegating the task again"
            )
        super().__init__({"competency": (
            f"{delegation.competency.name} is already delegated to {delegation.trainee.full_name}, {where}. {then}"
        )})


@transaction.atomic
def delegation_create(
    *,
    membership: Membership,
    trainee: Trainee,
    competency: Competency,
    setting: str,
    starts_on: date,
    supervision: str,
    supervision_detail: str,
    review_on: date,
) -> Delegation:
    """A registered practitioner delegates a task to a named care worker. The worker must be
    currently competent for it (signed off at a proficient level, reassessment not overdue);
    the task must be a delegated healthcare task; a partner's practitioner may delegate only
    tasks its partnership names, on a programme the worker is enrolled on. One delegation of a
    task to a worker is in force at a time, whoever delegated it: while an earlier one waits,
    is active or is suspended, DelegationInForce names it (it must be ended first). Locks the
    worker's trainee row so that two practitioners delegating at once cannot both pass that
    check (the constraint delegation_one_in_force_per_worker_and_task would refuse the
    second). Starts waiting for the worker's acknowledgement; tells both organisations after
    commit."""
    registration = selectors.registration_of(membership)
    if registration is None:
        raise PermissionDenied("Only a registered practitioner can delegate a healthcare task.")
    if not competency.is_delegated_task:
        raise ValidationError({"competency": "Choose a delegated healthcare task."})
    partnership = None
    if trainee.organisation_id != membership.organisation_id:
        partnership = selectors.partnership_for_assessing(
            membership=membership, trainee=trainee, competency_id=competency.pk
        )
        if partnership is None:
            raise PermissionDenied(
                "Your organisation's partnership does not cover this care worker and task."
            )
    if not selectors.is_competent(trainee_id=trainee.pk, competency=competency):
        raise ValidationError(
            {"competency": f"{trainee} is not currently signed off as competent for {competency.name}."}
        )
    delegation = Delegation(
        competency=competency, trainee=trainee, delegated_by=membership.user,
        delegator_organisation=membership.organisation, partnership=partnership,
        setting=_check_setting(setting), starts_on=starts_on, supervision=supervision,
        supervision_detail=(supervision_detail or "").strip(), review_on=review_on,
    )
    Trainee.objects.select_for_update().filter(pk=trainee.pk).first()  # the lock: see above
    if in_force := selectors.delegation_in_force(trainee_id=trainee.pk, competency_id=competency.pk):
        raise DelegationInForce(in_force)
    delegation.full_clean()
    with set_actor(membership.user):
        delegation.save()
    _tell(
        delegation,
        f"Task delegated: {competency.name}",
        f"{membership.person_name} ({membership.organisation.name}) delegated "
        f"'{competency.name}' to {trainee} for {delegation.setting}, from {starts_on:%d %B %Y}, "
        f"review by {review_on:%d %B %Y}. The care worker is asked to acknowledge it in Ladder.\n",
    )
    return delegation


def _lockable():
    """Delegations locked for a change, with what the change and its emails read."""
    return (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("trainee", "competency", "delegated_by", "trainee__line_manager", "trainee__user")
    )


def _locked(delegation: Delegation) -> Delegation:
    return _lockable().get(pk=delegation.pk)


@transaction.atomic
def delegation_acknowledge(*, delegation: Delegation, actor) -> Delegation:
    """The care worker acknowledges the delegation: it becomes active. Only the worker
    themself, and only while it waits."""
    locked = _locked(delegation)
    if locked.trainee.user_id is None or locked.trainee.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the care worker it is delegated to can acknowledge it.")
    if locked.status != Delegation.Status.AWAITING:
        raise ValidationError(f"This delegation is {locked.get_status_display().lower()}.")
    locked.status = Delegation.Status.ACTIVE
    locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor
    locked.full_clean()
    with set_actor(actor):
        locked.save()
    return locked


@transaction.atomic
def delegation_suspend(*, delegation: Delegation, reason: str, actor=None) -> Delegation:
    """Suspend a current delegation (the worker's competence lapsed, or a practitioner's
    decision after an incident) and tell both organisations after commit. Idempotent on one
    that is already suspended or ended."""
    locked = _locked(delegation)
    if not locked.is_current:
        return locked
    locked.status = Delegation.Status.SUSPENDED
    locked.suspended_at, locked.status_reason = timezone.now(), reason
    locked.full_clean()
    with set_actor(actor):
        locked.save()
    announce_delegation_suspended(
        delegation_id=locked.pk, trainee_id=locked.trainee_id, competency_id=locked.competency_id,
        reason=reason,
    )
    _tell(
        locked,
        f"Delegation suspended: {locked.competency.name} ({locked.trainee})",
        f"The delegation of '{locked.competency.name}' to {locked.trainee} for "
        f"{locked.setting} is suspended: {reason}\n\nThe task must not be delegated to them "
        "until they are reassessed; then a practitioner reviews this delegation and ends it "
        "before delegating the task again.\n",
    )
    return locked


@transaction.atomic
def delegation_end(*, delegation: Delegation, membership: Membership, reason: str = "") -> Delegation:
    """The delegating practitioner (or a training lead of either side) ends a delegation."""
    locked = _locked(delegation)
    if not selectors.may_manage_delegation(membership, locked):
        raise PermissionDenied("Only the delegating practitioner or a training lead can end it.")
    return _ended(locked, actor=membership.user, reason=reason)


def _ended(locked: Delegation, *, actor, reason: str) -> Delegation:
    """``locked`` (from _locked) ended with ``reason``; unchanged if it already was."""
    if locked.status == Delegation.Status.ENDED:
        return locked
    locked.status, locked.ended_at = Delegation.Status.ENDED, timezone.now()
    locked.status_reason = (reason or "").strip() or "Ended"
    locked.full_clean()
    with set_actor(actor):
        locked.save()
    return locked


@transaction.atomic
def supervision_contact_record(
    *, delegation: Delegation, membership: Membership, occurred_on: date, mode: str,
    observed: str, concerns: str = "",
) -> SupervisionContact:
    """Log a supervision contact against a delegation: the delegating practitioner, or a
    registered practitioner of either organisation on it."""
    if not selectors.may_supervise(membership, delegation):
        raise PermissionDenied("Only a registered practitioner on this delegation can log supervision.")
    errors = {}
    if occurred_on and occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date of a supervision contact cannot be in the future."
    if occurred_on and occurred_on < delegation.starts_on:
        errors["occurred_on"] = "The date must be on or after the delegation started."
    if errors:
        raise ValidationError(errors)
    contact = SupervisionContact(
        delegation=delegation, occurred_on=occurred_on, mode=mode,
        observed=(observed or "").strip(), concerns=(concerns or "").strip(),
        recorded_by=membership.user, recorded_by_organisation=membership.organisation,
    )
    contact.full_clean()
    with set_actor(membership.user):
        contact.save()
    return contact


# --- Lapsed competence ------------------------------------------------------------------------------


def delegations_suspend_lapsed(*, pairs: Iterable[tuple[int, int]], reason: str) -> list[Delegation]:
    """Re-read current attainment for these (trainee, competency) pairs and suspend each
    current delegation whose worker is no longer competent for its task. The withdrawal hook:
    competencies announces ``attainment_changed`` after commit; receivers.py calls this."""
    pairs = {(int(t), int(c)) for t, c in pairs}
    if not pairs:
        return []
    trainee_ids = {t for t, _ in pairs}
    competency_ids = {c for _, c in pairs}
    candidates = [
        d for d in Delegation.objects.filter(
            trainee_id__in=trainee_ids, competency_id__in=competency_ids,
            status__in=[Delegation.Status.AWAITING, Delegation.Status.ACTIVE],
        ).select_related("competency__framework__scale", "competency__scale")
        if (d.trainee_id, d.competency_id) in pairs
    ]
    if not candidates:
        return []
    lapsed = selectors.lapsed(candidates)
    words = {
        "withdrawn": "the sign-off of their competence was withdrawn",
        "expired": "their competence for this task has expired (reassessment is due)",
        "erased": "their record was erased",
        "corrected": "their sign-off was corrected and no longer shows competence",
        "revalidated": "the task's reassessment period changed, and under it their sign-off has expired",
    }
    why = words.get(reason, "their competence for this task is no longer current")
    return [
        delegation_suspend(delegation=d, reason=f"Suspended automatically: {why}.")
        for d in lapsed
    ]


@transaction.atomic
def partnership_end(*, partnership: Partnership, membership: Membership, reason: str = "") -> Partnership:
    """End a partnership (either side's training lead) and end the delegations that rest on it:
    the partner's practitioners no longer supervise them. Ended, not suspended: a suspension
    waits for the worker to be reassessed, and here nothing is wrong with the worker, so the
    task may be delegated to them again at once by someone who may supervise it. Tells both
    sides after commit."""
    from programmes import services as programme_services

    ended = programme_services.partnership_end(
        partnership=partnership, actor=membership.user, organisation=membership.organisation,
        reason=reason,
    )
    why = f"the partnership between {ended.programme.organisation.name} and {ended.organisation.name} ended"
    # Locked as they are read (in id order, as every other path locks one at a time), not read
    # and then locked one by one: one that ended in between is not ended twice.
    in_force = _lockable().filter(partnership=ended).exclude(status=Delegation.Status.ENDED).order_by("pk")
    for delegation in in_force:
        locked = _ended(delegation, actor=membership.user, reason=f"Ended: {why}.")
        _tell(
            locked,
            f"Delegation ended: {locked.competency.name} ({locked.trainee})",
            f"The delegation of '{locked.competency.name}' to {locked.trainee} for {locked.setting} "
            f"has ended: {why}, so its practitioners no longer supervise it.\n\nThis says nothing "
            "about the care worker's competence. A registered practitioner who can supervise the "
            "task may delegate it to them again.\n",
        )
    return ended
