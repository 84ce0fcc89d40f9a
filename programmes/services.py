"""Writes for organisations and memberships. Each runs in a transaction and validates first."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organisation


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
    """Take a role away, keeping the row so that what the person did stays attributable."""
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    return membership
