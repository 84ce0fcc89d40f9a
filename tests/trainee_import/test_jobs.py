"""Big imports run as a Celery job, in a real worker (in a thread of this process), with the
progress visible while the job's all-or-nothing transaction is still open."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app as celery_app
from people.models import Invitation
from programmes.models import Role
from trainees import services as trainee_services
from trainees.enrolment_import import tasks  # noqa: F401 (registers the task with the worker)
from trainees.enrolment_import.models import EnrolmentImport
from trainees.models import Enrolment, Trainee

from .helpers import good_csv, post_upload

pytestmark = pytest.mark.django_db(transaction=True)

LEAD = Role.TRAINING_LEAD
# Each row goes through the trainee services (about 30 queries): 10 to 50 rows a second,
# depending on the machine's load, so 10,000 rows take minutes. By default the worker test
# imports 500 rows (several progress updates, under a minute); set
# LADDER_IMPORT_WORKER_ROWS=2000 or 10000 to run it at full size.
WORKER_ROWS = int(os.environ.get("LADDER_IMPORT_WORKER_ROWS", "500"))


def queue_import(client, world, rows: int) -> EnrolmentImport:
    response = post_upload(client, world.cohort, good_csv(rows))
    assert response.status_code == 302, response.context["form"].errors
    job = EnrolmentImport.objects.get()
    response = client.post(f"/imports/{job.pk}/confirm/", {"version": job.version})
    assert response.status_code == 302
    return job


def wait_for_the_end(client, job, *, timeout: float):
    """Poll the progress partial as the browser does; return the rows it showed and the count
    of the organisation's trainees seen meanwhile."""
    shown, trainees_seen, deadline = [], set(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Count first, then ask for progress: the job commits its trainees and its "done" in
        # one transaction, so a count taken before a page that still shows progress is a count
        # from before the commit. (Counting after the page left a gap: the commit could land
        # in between, and the test saw a finished import as half-done.)
        trainees = Trainee.objects.filter(organisation=world_org(job)).count()
        response = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
        if response.headers.get("HX-Refresh") == "true":
            break
        shown.append(response.context["processed"])
        trainees_seen.add(trainees)
        time.sleep(0.5)
    else:
        pytest.fail(f"The import did not finish in {timeout}s; progress shown: {shown[-5:]}")
    job.refresh_from_db()
    return shown, trainees_seen


def world_org(job):
    return job.organisation_id


def test_a_big_import_runs_in_the_worker_with_visible_progress(client_as, world, own_queue):
    client = client_as(LEAD)
    with start_worker(
        celery_app,
        perform_ping_check=False,
        loglevel="WARNING",
        queues=[own_queue],
        shutdown_timeout=60,
    ):
        started = time.monotonic()
        job = queue_import(client, world, WORKER_ROWS)
        shown, trainees_seen = wait_for_the_end(client, job, timeout=WORKER_ROWS)  # >= 1 row/s
        took = time.monotonic() - started
    print(
        f"\n{WORKER_ROWS} rows imported by the worker in {took:.1f}s "
        f"({WORKER_ROWS / took:.0f} rows/s)"
    )

    assert job.status == EnrolmentImport.Status.DONE, job.failure_reason
    assert job.result == {
        "created": WORKER_ROWS,
        "existing": 0,
        "enrolled": WORKER_ROWS,
        "wards_created": 0,
        "invited": WORKER_ROWS,
    }
    # Every new trainee is invited, linked to their record, and emailed once the job committed
    # (the worker runs in this process: its email lands in the test outbox).
    assert Invitation.objects.filter(
        organisation=world.organisation, role="trainee", trainee__isnull=False
    ).count() == WORKER_ROWS
    assert len([m for m in mail.outbox if "invited" in m.body]) == WORKER_ROWS
    assert job.processed_rows == WORKER_ROWS
    assert Enrolment.objects.filter(cohort=world.cohort).count() == WORKER_ROWS + 1
    # The bar never went back (the rows are written in bulk, in well under a second: the page
    # may show 0 until the commit, then the finished import)...
    assert shown == sorted(shown) and all(0 <= n <= WORKER_ROWS for n in shown), shown
    # ...and no one saw a half-done import: until the commit, only world.trainee was there.
    assert trainees_seen == {1}
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert f"{WORKER_ROWS} trainees enrolled on Cohort 1" in page


def test_a_failure_mid_import_leaves_nothing_and_says_why(client_as, world, own_queue, monkeypatch):
    real_create = trainee_services.enrolments_create_bulk
    calls = []

    def create_then_break_the_database(**kwargs):
        calls.append(1)
        # A clash only the database can see: another process inserts, after the checks, a
        # trainee with the number of the import's 120th row.
        Trainee.objects.create(
            organisation=world.organisation, employee_number=kwargs["rows"][119].trainee.employee_number,
            first_name="Clash", last_name="Clash",
        )
        return real_create(**kwargs)

    monkeypatch.setattr(trainee_services, "enrolments_create_bulk", create_then_break_the_database)
    client = client_as(LEAD)
    with start_worker(
        celery_app,
        perform_ping_check=False,
        loglevel="ERROR",
        queues=[own_queue],
        shutdown_timeout=60,
    ):
        job = queue_import(client, world, 150)
        wait_for_the_end(client, job, timeout=150)

    assert len(calls) == 1
    assert job.status == EnrolmentImport.Status.FAILED
    assert job.failure_reason == (
        "Line 121 could not be saved: Another trainee in this organisation has this employee "
        "number. Nothing was imported."
    )
    assert job.errors == [
        {"line": 121, "message": "Another trainee in this organisation has this employee number."}
    ]
    assert not job.file
    assert Trainee.objects.filter(organisation=world.organisation).count() == 1
    assert Enrolment.objects.filter(cohort=world.cohort).count() == 1
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "The import failed" in page and "Line 121 could not be saved" in page


def test_when_the_queue_is_unreachable_the_page_says_so(client_as, world, monkeypatch):
    # Point Celery at a port where nothing listens, with fresh connection pools.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    monkeypatch.setattr(celery_app, "_pool", None)
    client = client_as(LEAD)
    response = post_upload(client, world.cohort, good_csv(150))
    job = EnrolmentImport.objects.get()
    started = time.monotonic()
    response = client.post(f"/imports/{job.pk}/confirm/", {"version": job.version})
    assert time.monotonic() - started < 15

    assert response.status_code == 503
    assert "The job queue is unavailable; try again shortly." in response.content.decode()
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.PREVIEWED  # it can be tried again
    assert job.confirmed_by is None
    assert "Import 150 trainees" in response.content.decode()
    assert Trainee.objects.filter(organisation=world.organisation).count() == 1
