"""Writes for organisations, people, programmes and cohorts. Each runs in a transaction and
validates (full_clean) before it saves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ClinicalArea, Cohort, Membership, Milestone, Organisation, Programme
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
    *, organisation: Organisation, partners=(), clinical_areas=(), code_of_practice=None, **fields
) -> Programme:
    """A new programme led by ``organisation``. Clinical areas must be the organisation's own."""
    programme = Programme(organisation=organisation)
    _apply(programme, fields, PROGRAMME_FIELDS)
    if code_of_practice is not None:
        programme.code_of_practice = code_of_practice
    programme.full_clean()
    programme.save()
    _set_programme_relations(programme, partners=partners, clinical_areas=clinical_areas)
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, partners=None, clinical_areas=None, code_of_practice=None, **fields
) -> Programme:
    _apply(programme, fields, PROGRAMME_FIELDS)
    if code_of_practice is not None:
        programme.code_of_practice = code_of_practice
    programme.full_clean()
    programme.save()
    _set_programme_relations(programme, partners=partners, clinical_areas=clinical_areas)
    return programme


def _set_programme_relations(programme: Programme, *, partners, clinical_areas) -> None:
    if partners is not None:
        partners = [p for p in partners if p.pk != programme.organisation_id]
        programme.partners.set(partners)
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
    """Lecturers must hold the lecturer role in the lead organisation or a partner."""
    lecturers = list(lecturers)
    organisations = {programme.organisation_id, *programme.partners.values_list("pk", flat=True)}
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
