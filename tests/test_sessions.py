"""Sessions slide while a person works, without a database write on every request."""

from __future__ import annotations

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.sessions import REFRESHED_AT
from programmes.models import Role


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _session_writes(client, url="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1 for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def _age_the_refresh(client, seconds: int) -> None:
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - seconds
    session.save()


def test_a_request_soon_after_the_last_refresh_does_not_write_the_session(client_as):
    client = client_as(Role.TRAINING_LEAD)
    client.get("/")  # the first request after signing in refreshes
    assert _session_writes(client) == 0


def test_a_request_after_the_refresh_interval_pushes_the_end_of_the_session(client_as, settings):
    client = client_as(Role.TRAINING_LEAD)
    client.get("/")
    _age_the_refresh(client, settings.SESSION_REFRESH_AFTER + 1)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=10)
    )
    assert _session_writes(client) == 1
    remaining = _session_row(client).expire_date - timezone.now()
    assert remaining > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_an_idle_session_ends(client_as):
    client = client_as(Role.TRAINEE)
    client.get("/")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
