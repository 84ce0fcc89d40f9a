"""API clients for the standard cast: each person of Acme (and the outsider) with a personal
token acting as their one membership."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.tokens import token_create
from core.access import memberships_for


def token_for(user, name: str = "tests") -> str:
    membership = memberships_for(user)[0]
    _, key = token_create(user=user, membership_id=membership.pk, name=name)
    return key


def client_with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api_as(world):
    """api_as(role) -> an APIClient sending a token of that Acme person (or "outsider")."""
    clients = {}

    def make(who: str) -> APIClient:
        if who not in clients:
            user = world.outsider if who == "outsider" else world.person(who)
            clients[who] = client_with_token(token_for(user))
        return clients[who]

    return make
