"""The standard cast, set up through the same services the app uses.

``world`` has one organisation ("Acme") with a person in every role, and an outsider: the
training lead of another organisation ("Other"), the most powerful role there, who must be
refused everything of Acme's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from programmes import services
from programmes.models import Organisation, Role

PASSWORD = "correct-horse-battery"  # noqa: S105


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; the tests create many people. tests/test_settings.py checks
    # that the real configuration uses Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    organisation: Organisation
    other_organisation: Organisation
    people: dict[str, object] = field(default_factory=dict)  # role -> User
    outsider: object = None

    def person(self, role: str):
        return self.people[role]


def make_person(organisation: Organisation, role: str, username: str):
    user = services.person_ensure(
        username=username,
        first_name=role.replace("_", " ").title(),
        last_name=organisation.name.split()[0],
        email=f"{username}@example.org",
        password=PASSWORD,
    )
    services.membership_grant(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def world(db) -> World:
    acme = services.organisation_ensure(
        slug="acme", name="Acme Mental Health NHS Trust", kind=Organisation.Kind.NHS_TRUST
    )
    other = services.organisation_ensure(
        slug="other", name="Other Health Board", kind=Organisation.Kind.HEALTH_BOARD
    )
    world = World(organisation=acme, other_organisation=other)
    for role in Role.values:
        world.people[role] = make_person(acme, role, f"{role}.acme")
    world.outsider = make_person(other, Role.TRAINING_LEAD, "lead.other")
    return world


@pytest.fixture
def client_as(client, world):
    """client_as(role) -> a test client logged in as that person of Acme (or "outsider")."""

    def login(who: str):
        user = world.outsider if who == "outsider" else world.person(who)
        client.force_login(user)
        return client

    return login
