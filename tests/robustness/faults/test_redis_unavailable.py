"""Redis down (the broker and the cache both point at a port where nothing listens): every
page still answers as it normally does, and asking for a report says the queue is unavailable
instead of hanging or failing. (A large enrolment import saying so is tested in
tests/trainee_import/test_jobs.py.)"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.db import transaction

from config.celery import app as celery_app
from programmes.models import Role
from reports.models import ReportJob
from tests.access_table import OK, entry_for
from tests.delegation.factories import add_partner
from tests.urlwalk import url_for, walk

# Nothing listens on port 9. Not the port other tests use for a dead broker: kombu keeps one
# connection pool per URL for the whole run, and theirs may have been closed.
DEAD_REDIS = "redis://127.0.0.1:9/0"


def _broker(url: str) -> None:
    # Forget the app's pools (without closing them: kombu shares them by URL across the run),
    # so the next publish connects to `url`.
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    # Ladder's own Redis cache backend (core.cache: one client per pool), pointed at nothing.
    dead = {"BACKEND": "core.cache.RedisCache", "LOCATION": DEAD_REDIS}
    settings.CACHES = {"default": dead, "fragments": dead}  # the home pages' fragments too
    live = celery_app.conf.broker_url
    _broker(DEAD_REDIS)
    with pytest.raises(Exception):  # noqa: B017 - any client error proves Redis is out of reach
        cache.get("anything")
    try:
        yield
    finally:
        _broker(live)


PAGES_FOR = (Role.TRAINING_LEAD, Role.TRAINEE, Role.MANAGER)


@pytest.mark.parametrize("role", PAGES_FOR)
def test_every_page_still_answers_without_redis(redis_down, world, client, role):
    # The partnership, partner evidence and delegation the delegation pages' URLs name, made
    # as the access walk makes them (tests/test_access.py).
    add_partner(world)
    client.force_login(world.person(role))
    wrong = []
    for pattern in walk():
        if not pattern.name or pattern.name.startswith("admin:"):
            continue
        entry = entry_for(pattern.name)
        if entry.expected(role) != OK:
            continue
        # Each page's records are made, and dropped, on their own: some pages' factories
        # make the same framework.
        with transaction.atomic():
            url = url_for(pattern, entry.kwargs(world) if entry.kwargs else None)
            status = client.get(url).status_code
            transaction.set_rollback(True)
        if status != OK:
            wrong.append(f"{url}: {status}")
    assert not wrong, "with Redis down: " + "; ".join(wrong)


def test_the_dashboard_and_cohort_page_show_their_content_without_redis(redis_down, world, client):
    client.force_login(world.person(Role.TRAINING_LEAD))
    dashboard = client.get("/").content.decode()
    assert "Inpatient assistant practitioner" in dashboard
    cohort = client.get(f"/cohorts/{world.cohort.pk}/").content.decode()
    assert "Sam Trainee" in cohort


@pytest.mark.django_db(transaction=True)  # the job is published when the request commits
def test_asking_for_a_report_says_the_queue_is_unavailable(redis_down, world, client):
    client.force_login(world.person(Role.TRAINING_LEAD))
    started = time.monotonic()
    response = client.post(f"/programmes/{world.programme.pk}/case-study/request/", follow=True)
    assert time.monotonic() - started < 5, "the page must not wait on the dead broker (kombu's retries took 6 s)"
    assert response.status_code < 500
    assert "The report queue is unavailable" in response.content.decode()
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED and "unavailable" in job.failure_reason


@pytest.mark.django_db(transaction=True)  # the job is published when the request commits
def test_asking_for_a_subject_access_export_says_the_queue_is_unavailable(redis_down, world, client):
    from privacy.models import PrivacyEvent

    client.force_login(world.person(Role.TRAINING_LEAD))
    started = time.monotonic()
    response = client.post(f"/trainees/{world.trainee.pk}/personal-data/export/", follow=True)
    assert time.monotonic() - started < 5, "the page must not wait on the dead broker (kombu's retries took 6 s)"
    assert response.status_code < 500
    assert "The export queue is unavailable just now" in response.content.decode()
    assert PrivacyEvent.objects.get().status == PrivacyEvent.Status.FAILED


@pytest.mark.django_db(transaction=True)  # the job is published when the request commits
def test_any_failure_to_publish_is_reported_as_the_queue_unavailable(world, client, monkeypatch):
    # Not only connection errors: kombu raises RuntimeError from a closed connection pool.
    from reports.tasks import render_report

    def closed_pool(*args, **kwargs):
        raise RuntimeError("Acquire on closed pool")

    monkeypatch.setattr(render_report, "apply_async", closed_pool)
    client.force_login(world.person(Role.TRAINING_LEAD))
    response = client.post(f"/programmes/{world.programme.pk}/case-study/request/", follow=True)
    assert response.status_code < 500
    assert "The report queue is unavailable" in response.content.decode()
    assert ReportJob.objects.get().status == ReportJob.Status.FAILED
