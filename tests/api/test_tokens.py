"""Personal API tokens: made and revoked on the account page, shown once, stored hashed, acting
as one membership, refused once revoked, throttled per token and per person."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import token_create, token_revoke
from programmes import services
from programmes.models import Membership, Role

from .conftest import client_with_token, token_for


def test_a_token_made_on_the_page_is_shown_once_and_stored_only_as_a_hash(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    membership = Membership.objects.get(user=world.person(Role.TRAINING_LEAD))
    response = client.post("/account/tokens/", {"name": "ESR feed", "membership": membership.pk})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("ldr_") and len(key) > 40
    assert key.encode() in response.content
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.key_hash, token.prefix, token.name}
    assert token.membership == membership
    again = client.get("/account/tokens/")
    assert key.encode() not in again.content  # never shown again
    assert token.prefix.encode() in again.content
    listed = client_with_token(key).get("/api/v1/programmes/")
    assert listed.status_code == 200
    assert "no-store" in listed["Cache-Control"]  # personal data: never kept by a proxy


def test_a_token_cannot_act_as_someone_elses_membership(client_as, world):
    other = Membership.objects.get(user=world.outsider)
    response = client_as(Role.TRAINING_LEAD).post(
        "/account/tokens/", {"name": "x", "membership": other.pk}
    )
    assert response.status_code == 200
    assert "membership" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_token_page_is_csrf_protected(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.person(Role.TRAINING_LEAD))
    membership = Membership.objects.get(user=world.person(Role.TRAINING_LEAD))
    assert (
        client.post("/account/tokens/", {"name": "x", "membership": membership.pk}).status_code
        == 403
    )
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_and_last_use_is_recorded(client_as, world):
    user = world.person(Role.MANAGER)
    key = token_for(user)
    api = client_with_token(key)
    assert api.get("/api/v1/trainees/").status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    response = client_as(Role.MANAGER).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    refused = api.get("/api/v1/trainees/")
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_nobody_revokes_another_persons_token(client_as, world):
    key = token_for(world.person(Role.MANAGER))
    token = ApiToken.objects.get()
    assert client_as("outsider").post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert client_with_token(key).get("/api/v1/trainees/").status_code == 200


def test_a_token_stops_working_when_its_role_is_taken_away(world):
    user = world.person(Role.MENTOR)
    api = client_with_token(token_for(user))
    services.membership_revoke(membership=Membership.objects.get(user=user))
    assert api.get("/api/v1/trainees/").status_code == 401


def test_a_token_acts_only_as_its_membership(world):
    # The outsider is a training lead at Other and, here, also a trainee at Acme. A token made
    # for their trainee role sees Acme's trainee view only: not Other's trainees, no lead powers.
    services.membership_grant(
        user=world.outsider, organisation=world.organisation, role=Role.TRAINEE
    )
    acme_trainee = Membership.objects.get(user=world.outsider, organisation=world.organisation)
    _, key = token_create(user=world.outsider, membership_id=acme_trainee.pk, name="as trainee")
    api = client_with_token(key)
    assert api.get("/api/v1/trainees/").json()["count"] == 0  # no record of their own at Acme
    assert api.get(f"/api/v1/trainees/{world.other_trainee.pk}/").status_code == 404
    assert api.post("/api/v1/programmes/", {"title": "x"}, format="json").status_code == 403


def test_nothing_is_readable_without_a_token_or_session(world):
    anonymous = APIClient()
    for url in (
        "/api/v1/programmes/",
        f"/api/v1/programmes/{world.programme.pk}/",
        "/api/schema/",
        "/api/docs/",
    ):
        response = anonymous.get(url)
        assert response.status_code == 401, url
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer ldr_not-a-real-key")
    assert bad.get("/api/v1/programmes/").status_code == 401


def test_session_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.person(Role.TRAINING_LEAD))
    assert client.get("/api/v1/programmes/").status_code == 200
    assert client.post("/api/v1/programmes/", {"title": "x"}, format="json").status_code == 403


@pytest.fixture
def low_rates(settings, own_cache):
    # own_cache: the throttles' history starts empty, and is deleted after.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "3/min", "api_user": "5/min"},
    }


def test_each_token_and_each_person_is_throttled(world, low_rates):
    user = world.person(Role.PLANNER)
    first, second = client_with_token(token_for(user, "a")), client_with_token(token_for(user, "b"))
    assert [first.get("/api/v1/programmes/").status_code for _ in range(4)] == [200, 200, 200, 429]
    # The second token has its own budget, but the person's is nearly spent: 4 of 5 (the
    # request the first token's throttle refused still counted against the person).
    assert [second.get("/api/v1/programmes/").status_code for _ in range(2)] == [200, 429]
    assert "Retry-After" in second.get("/api/v1/programmes/")
    # Someone else is not slowed down.
    assert (
        client_with_token(token_for(world.person(Role.MANAGER)))
        .get("/api/v1/programmes/")
        .status_code
        == 200
    )


def test_with_the_cache_down_the_api_answers_unthrottled(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "3/min", "api_user": "5/min"},
    }
    # Nothing listens on port 9: every cache call fails, as when Redis is down.
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }}
    api = client_with_token(token_for(world.person(Role.PLANNER)))
    assert [api.get("/api/v1/programmes/").status_code for _ in range(4)] == [200] * 4


def test_revoking_keeps_the_token_for_the_record(world):
    user = world.person(Role.LECTURER)
    token_for(user)
    token = token_revoke(user=user, token_id=ApiToken.objects.get().pk)
    assert token.revoked_at is not None and ApiToken.objects.count() == 1


def test_someone_without_a_role_is_told_a_token_could_do_nothing(client, world):
    from programmes.services import person_ensure

    client.force_login(
        person_ensure(username="nobody", first_name="No", last_name="Role", email="")
    )
    response = client.get("/account/tokens/")
    assert response.status_code == 200
    assert b"a token could do nothing" in response.content
    assert b"Make token" not in response.content
