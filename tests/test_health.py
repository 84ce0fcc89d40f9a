"""/healthz reports the database, Redis and the Celery worker, for real."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app


def test_it_reports_database_and_redis_and_a_missing_worker(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "ok"
    # No worker runs during this test: pages still work, so the service is degraded, not down.
    assert body["checks"]["worker"] == "error: no worker answered"
    assert body["status"] == "degraded"
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db(transaction=True)
def test_it_is_ok_when_a_worker_answers(client):
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        body = client.get("/healthz").json()
    assert body["checks"]["worker"] == "ok"
    assert body["status"] == "ok"


def test_it_says_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    body = client.get("/healthz").json()
    assert body["checks"]["redis"].startswith("error")
    assert body["checks"]["worker"] == "unknown"
    assert body["status"] == "degraded"


def test_it_does_not_ask_for_a_worker_when_tasks_run_eagerly(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = ""
    body = client.get("/healthz").json()
    assert body["checks"] == {
        "database": "ok",
        "redis": "not configured",
        "worker": "eager (tasks run in the web process)",
    }
    assert body["status"] == "ok"
