"""Writes for organisations, people, programmes and cohorts. Each runs in a transaction and
validates (full_clean) before it saves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ClinicalArea, Cohort, Membership, Milestone, Organisation, Partnership, Programme
from .signals import announce_membership_deactivated


@transaction.atomic
def organisation_ensure(*, slug: str, name: str, kind: str, description: str = "") -> Organisation:
    """The organisation with this slug, created or brought up to date. Idempotent."""
    organisation, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "description": description}
    )
    organisation.name, organisation.kind, organisation.description = name, kind, description
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def person_ensure(
    *, username: str, first_name: str, last_name: str, email: str, password: str | None = None
):
    """The user with this username, created (with the password) or brought up to date.

    An existing user's password is left alone: re-running demo seeding must not undo a
    password someone changed.
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def membership_grant(*, user, organisation: Organisation, role: str) -> Membership:
    """Give the person a role in the organisation (re-activating it if it was revoked)."""
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if not membership.is_active:
        membership.is_active = True
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> Membership:
    """Take a role away, keeping the row so that what the person did stays attributable.
    Announces ``membership_deactivated`` after commit: what hung on the role (API tokens) ends
    for good, even if the role is given back later."""
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    announce_membership_deactivated(membership_id=membership.pk, user_id=membership.user_id)
    return membership


# --- Programmes, milestones, cohorts ---------------------------------------------------------
# Callers (views, the API, commands) have already checked the actor may write: these functions
# validate the data and write it, nothing more.

PROGRAMME_FIELDS = (
    "title", "description", "setting", "intended_benefits", "education_route",
    "education_detail", "apprenticeship_standard", "funding_source", "drivers_and_standards",
    "status",
)


def _apply(instance, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))} here")
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def clinical_area_ensure(*, organisation: Organisation, name: str, setting: str = "") -> ClinicalArea:
    area, _ = ClinicalArea.objects.get_or_create(
        organisation=organisation, name=name.strip(), defaults={"setting": setting}
    )
    return area


@transaction.atomic
def programme_create(
    *, organisation: Organisation, clinical_areas=(), code_of_practice=None, **fields
) -> Programme:
    """A new programme led by ``organisation``. Clinical areas must be the organisation's own.
    Partners join by consent (delegation.services.partnership_propose / _accept)."""
    programme = Programme(organisation=organisation)
    _apply(programme, fields, PROGRAMME_FIELDS)
    if code_of_practice is not None:
        programme.code_of_practice = code_of_practice
    programme.full_clean()
    programme.save()
    _set_programme_relations(programme, clinical_areas=clinical_areas)
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, clinical_areas=None, code_of_practice=None, **fields
) -> Programme:
    _apply(programme, fields, PROGRAMME_FIELDS)
    if code_of_practice is not None:
        programme.code_of_practice = code_of_practice
    programme.full_clean()
    programme.save()
    _set_programme_relations(programme, clinical_areas=clinical_areas)
    return programme


def _set_programme_relations(programme: Programme, *, clinical_areas) -> None:
    if clinical_areas is not None:
        foreign = [a for a in clinical_areas if a.organisation_id != programme.organisation_id]
        if foreign:
            raise ValidationError({"clinical_areas": "Clinical areas must belong to the lead organisation."})
        programme.clinical_areas.set(clinical_areas)


@transaction.atomic
def milestone_create(*, programme: Programme, title: str, due_on, description: str = "",
                     done_on=None) -> Milestone:
    milestone = Milestone(programme=programme, title=title, due_on=due_on,
                          description=description, done_on=done_on)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, **fields) -> Milestone:
    _apply(milestone, fields, ("title", "description", "due_on", "done_on"))
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    milestone.delete()


@transaction.atomic
def cohort_create(*, programme: Programme, lecturers=(), **fields) -> Cohort:
    """A new cohort. Without an intake number it takes the next one on the programme."""
    cohort = Cohort(programme=programme)
    _apply(cohort, fields, COHORT_FIELDS)
    if "intake_number" not in fields:
        last = programme.cohorts.order_by("-intake_number").values_list("intake_number", flat=True).first()
        cohort.intake_number = (last or 0) + 1
    cohort.full_clean()
    cohort.save()
    cohort.lecturers.set(_checked_lecturers(programme, lecturers))
    return cohort


COHORT_FIELDS = ("name", "intake_number", "starts_on", "ends_on", "study_hours_per_week")


@transaction.atomic
def cohort_update(*, cohort: Cohort, lecturers=None, **fields) -> Cohort:
    _apply(cohort, fields, COHORT_FIELDS)
    cohort.full_clean()
    cohort.save()
    if lecturers is not None:
        cohort.lecturers.set(_checked_lecturers(cohort.programme, lecturers))
    return cohort


def _checked_lecturers(programme: Programme, lecturers) -> list:
    """Lecturers must hold the lecturer role in the lead organisation or an accepted partner."""
    lecturers = list(lecturers)
    partners = Partnership.objects.accepted().filter(programme=programme)
    organisations = {programme.organisation_id, *partners.values_list("organisation_id", flat=True)}
    allowed = set(
        Membership.objects.active()
        .filter(role="lecturer", organisation_id__in=organisations, user__in=lecturers)
        .values_list("user_id", flat=True)
    )
    refused = [user for user in lecturers if user.pk not in allowed]
    if refused:
        raise ValidationError({"lecturers": "Each lecturer must be a lecturer in the lead or a partner organisation."})
    return lecturers


@transaction.atomic
def clinical_areas_ensure(*, organisation: Organisation, names) -> list[ClinicalArea]:
    """The organisation's clinical areas with these names, created where missing (one per
    name; blank names skipped). Idempotent."""
    return [
        clinical_area_ensure(organisation=organisation, name=name)
        for name in dict.fromkeys(n.strip() for n in names)
        if name
    ]


# --- Partnerships by consent --------------------------------------------------------------------
# A lead organisation's training lead asks another organisation to partner on a programme; that
# organisation's training lead accepts or declines; either side ends it. Access follows the row
# at once (programmes.selectors reads only accepted partnerships). Each step emails the other
# side's training leads after commit. Every change is in the audit trail with the actor.


def _lead_emails(organisation_id: int) -> list[str]:
    return sorted(
        {
            email
            for email in Membership.objects.active()
            .filter(organisation_id=organisation_id, role="training_lead")
            .values_list("user__email", flat=True)
            if email
        }
    )


def _tell(organisation_id: int, subject: str, body: str) -> None:
    """Email an organisation's training leads once the transaction commits."""
    from django.core.mail import send_mail

    recipients = _lead_emails(organisation_id)
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, recipients, fail_silently=True)
        )


def organisation_find(*, name_or_code: str) -> Organisation | None:
    """The organisation with exactly this name (case aside) or code (its slug), or None.
    Never a list: tenants are not browsable."""
    text = (name_or_code or "").strip()
    if not text:
        return None
    return (
        Organisation.objects.filter(slug=text.lower()).first()
        or Organisation.objects.filter(name__iexact=text).first()
    )


def _locked_partnership(partnership: Partnership) -> Partnership:
    return (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("programme", "organisation")
        .get(pk=partnership.pk)
    )


@transaction.atomic
def partnership_propose(
    *, programme: Programme, organisation: Organisation, actor, purpose: str = "",
    shares_cohorts: bool = True,
) -> Partnership:
    """Ask ``organisation`` to partner on ``programme``. Gives the partner nothing until its
    training lead accepts. Refuses the lead organisation itself and a second open request."""
    from auditlog.context import set_actor
    from django.utils import timezone

    if organisation.pk == programme.organisation_id:
        raise ValidationError({"organisation": "The lead organisation cannot partner with itself."})
    if Partnership.objects.filter(
        programme=programme, organisation=organisation,
        status__in=[Partnership.Status.PROPOSED, Partnership.Status.ACCEPTED],
    ).exists():
        raise ValidationError(
            {"organisation": f"{organisation.name} has already been asked to partner on this programme."}
        )
    partnership = Partnership(
        programme=programme, organisation=organisation, purpose=(purpose or "").strip(),
        shares_cohorts=shares_cohorts, proposed_by=actor, proposed_at=timezone.now(),
    )
    partnership.full_clean()
    with set_actor(actor):
        partnership.save()
    _tell(
        organisation.pk,
        f"Partnership asked: {programme.title}",
        f"{programme.organisation.name} asks {organisation.name} to partner on the programme "
        f"'{programme.title}'.\n\n{partnership.purpose}\n\n"
        "Sign in to Ladder as a training lead and open Partnerships to accept or decline.\n",
    )
    return partnership


def _answer(partnership: Partnership, *, actor, status: str) -> Partnership:
    from auditlog.context import set_actor
    from django.utils import timezone

    locked = _locked_partnership(partnership)
    if locked.status != Partnership.Status.PROPOSED:
        raise ValidationError(
            f"This partnership is {locked.get_status_display().lower()}: only a request waiting "
            "for an answer can be accepted or declined."
        )
    locked.status, locked.answered_by, locked.answered_at = status, actor, timezone.now()
    locked.full_clean()
    with set_actor(actor):
        locked.save()
    verb = "accepted" if status == Partnership.Status.ACCEPTED else "declined"
    _tell(
        locked.programme.organisation_id,
        f"Partnership {verb}: {locked.programme.title}",
        f"{locked.organisation.name} {verb} the partnership on '{locked.programme.title}'.\n",
    )
    return locked


@transaction.atomic
def partnership_accept(*, partnership: Partnership, actor) -> Partnership:
    """The partner's training lead agrees: from now its people see what the partnership states.
    Locks the row; only a proposed partnership can be accepted."""
    return _answer(partnership, actor=actor, status=Partnership.Status.ACCEPTED)


@transaction.atomic
def partnership_decline(*, partnership: Partnership, actor) -> Partnership:
    return _answer(partnership, actor=actor, status=Partnership.Status.DECLINED)


@transaction.atomic
def partnership_end(
    *, partnership: Partnership, actor, organisation: Organisation, reason: str = ""
) -> Partnership:
    """Either side ends (or withdraws) the partnership; access ends with the commit. Tells the
    other side. Higher floors (delegation) end what depended on it through their own services."""
    from auditlog.context import set_actor
    from django.utils import timezone

    locked = _locked_partnership(partnership)
    if not locked.is_open:
        raise ValidationError(f"This partnership is already {locked.get_status_display().lower()}.")
    locked.status = Partnership.Status.ENDED
    locked.ended_by, locked.ended_by_organisation = actor, organisation
    locked.ended_at, locked.end_reason = timezone.now(), (reason or "").strip()
    locked.full_clean()
    with set_actor(actor):
        locked.save()
    other = (
        locked.organisation_id
        if organisation.pk == locked.programme.organisation_id
        else locked.programme.organisation_id
    )
    _tell(
        other,
        f"Partnership ended: {locked.programme.title}",
        f"{organisation.name} ended the partnership of {locked.organisation.name} on "
        f"'{locked.programme.title}'.\n{locked.end_reason}\n",
    )
    return locked


@transaction.atomic
def partnership_ensure_accepted(
    *, programme: Programme, organisation: Organisation, purpose: str = ""
) -> Partnership:
    """For demo data and carried-over agreements only: the accepted partnership, made if
    missing. Idempotent. Real requests go through propose and accept."""
    existing = Partnership.objects.accepted().filter(programme=programme, organisation=organisation).first()
    if existing:
        return existing
    partnership = Partnership(
        programme=programme, organisation=organisation, purpose=purpose,
        status=Partnership.Status.ACCEPTED,
    )
    partnership.full_clean()
    partnership.save()
    return partnership
