"""Loads the demo cast through the same services the app uses. Idempotent: every step
ensures rather than creates, so running it twice changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from programmes import services

from .people import DEMO_PASSWORD, ORGANISATIONS, PEOPLE

SUPERUSER = "admin"


@transaction.atomic
def seed_people() -> None:
    organisations = {
        org.slug: services.organisation_ensure(
            slug=org.slug, name=org.name, kind=org.kind, description=org.description
        )
        for org in ORGANISATIONS
    }
    for person in PEOPLE:
        user = services.person_ensure(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@example.org",
            password=DEMO_PASSWORD,
        )
        services.membership_grant(
            user=user, organisation=organisations[person.organisation], role=person.role
        )
    admin = services.person_ensure(
        username=SUPERUSER, first_name="Ladder", last_name="Administrator",
        email="admin@example.org", password=DEMO_PASSWORD,
    )
    if not (admin.is_staff and admin.is_superuser):
        get_user_model().objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)


def logins_table() -> str:
    lines = ["", "Demo logins (password for all: %s)" % DEMO_PASSWORD, ""]
    width = max(len(p.username) for p in PEOPLE)
    for person in PEOPLE:
        lines.append(
            f"  {person.username:<{width}}  {person.first_name} {person.last_name}, "
            f"{person.role.label.lower()}"
        )
    lines.append(f"  {SUPERUSER:<{width}}  Django admin (superuser, no organisation)")
    lines.append("")
    return "\n".join(lines)
