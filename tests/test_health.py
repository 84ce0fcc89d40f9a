"""/healthz reports the database, Redis and the Celery worker, for real."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from config import worker_presence
from config.celery import app as celery_app


@pytest.fixture
def no_worker_records():
    # Workers of earlier tests removed themselves when they stopped; one killed by a fault test
    # would linger for STALE_AFTER seconds. This test is about a machine with no worker at all.
    worker_presence._client().delete(worker_presence.KEY)
    yield
    worker_presence._client().delete(worker_presence.KEY)


def test_it_reports_database_and_redis_and_a_missing_worker(client, db, no_worker_records):
    response = client.get("/healthz")
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "ok"
    # No worker runs during this test: pages still work, so the service is degraded, not down.
    assert body["checks"]["worker"] == "error: no worker seen in the last 60 seconds"
    assert body["status"] == "degraded"
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db(transaction=True)
def test_it_is_ok_while_a_worker_runs_and_not_after_it_stops(client, no_worker_records):
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        body = client.get("/healthz").json()
    assert body["checks"]["worker"] == "ok"
    assert body["status"] == "ok"
    # The stopped worker took its record with it.
    assert client.get("/healthz").json()["checks"]["worker"].startswith("error: no worker")


def test_it_reads_the_workers_records_instead_of_asking_them(client, db, no_worker_records):
    # A record no live worker stands behind: a ping would get no answer, the record says ok.
    # So /healthz never waits for workers to answer (it used to wait 2 s on every call).
    worker_presence.record_alive("recorded@elsewhere")
    assert client.get("/healthz").json()["checks"]["worker"] == "ok"


def test_a_worker_that_stopped_recording_counts_as_gone(client, db, no_worker_records):
    # A worker killed without stopping leaves its last record behind, which goes stale.
    stale = time.time() - worker_presence.STALE_AFTER - 1
    worker_presence._client().zadd(worker_presence.KEY, {"killed@elsewhere": stale})
    assert client.get("/healthz").json()["checks"]["worker"].startswith("error: no worker")


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
