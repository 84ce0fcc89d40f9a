"""The access test: every URL, as every role, an anonymous visitor and an outsider."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from .access_table import ACTORS, ANONYMOUS, OUTSIDER, PARTNER, entry_for
from .conftest import fast_password_hashing
from .delegation.factories import add_partner
from .urlwalk import missing_entries, url_for, walk

PATTERNS = walk()


@pytest.fixture(scope="module")
def _world_with_partner(module_world, django_db_blocker):
    # One cast for the ~280 URL tests: each only GETs (in its own savepoint), so making the
    # world and its partner afresh for each was most of the module's time.
    with django_db_blocker.unblock(), fast_password_hashing():
        add_partner(module_world)
    return module_world


@pytest.fixture
def world(_world_with_partner, db):
    return _world_with_partner  # read only: not copied


def test_every_url_pattern_has_an_entry_in_the_access_table():
    missing = missing_entries(PATTERNS, entry_for)
    assert not missing, (
        "These URLs have no entry in tests/access_table.py; declare who may use them: "
        + ", ".join(missing)
    )


def test_a_pattern_added_without_an_entry_is_reported(settings):
    # The test of the test: a URLconf with one extra, undeclared pattern must be caught.
    settings.ROOT_URLCONF = "tests.urls_with_undeclared_pattern"
    missing = missing_entries(walk("tests.urls_with_undeclared_pattern"), entry_for)
    assert missing == ["undeclared:secret"]


def test_an_unnamed_pattern_is_reported():
    missing = missing_entries(walk("tests.urls_with_unnamed_pattern"), entry_for)
    assert missing == ["(unnamed pattern 'unnamed/')"]


def _user_for(actor: str, world):
    if actor == OUTSIDER:
        return world.outsider
    if actor == PARTNER:
        return world.partner
    return world.person(actor)


@pytest.fixture(scope="module")
def _sessions(_world_with_partner, django_db_blocker) -> dict[str, str]:
    """Each signed-in actor's session key, logged in once for the module (in its transaction):
    logging 8 actors in afresh for each of the ~280 URL tests was some 2,200 logins. What a
    test's requests change in a session is undone with its savepoint, so each test still
    starts from the session the login made."""
    sessions = {}
    with django_db_blocker.unblock():
        for actor in ACTORS:
            if actor != ANONYMOUS:
                client = Client()
                client.force_login(_user_for(actor, _world_with_partner))
                sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def _client_for(actor: str, sessions: dict[str, str]) -> Client:
    """A browser of its own for the actor, signed in with the actor's session."""
    client = Client()
    if actor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
    return client


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.name], ids=lambda p: p.name)
def test_url_answers_each_actor_as_the_table_says(pattern, world, _sessions):
    add_partner(world)
    name = pattern.name
    entry = entry_for(name)
    assert entry is not None, f"{name} has no entry in the access table"
    url = url_for(pattern, entry.kwargs(world) if entry.kwargs else None)
    wrong = []
    for actor in ACTORS:
        status = _client_for(actor, _sessions).get(url).status_code
        if status != entry.expected(actor):
            wrong.append(f"{actor}: got {status}, expected {entry.expected(actor)}")
    assert not wrong, f"GET {url} ({name}): " + "; ".join(wrong)
