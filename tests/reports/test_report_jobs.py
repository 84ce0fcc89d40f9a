"""Report jobs: a real Celery worker renders the case study with WeasyPrint; access to the
files; a failed or unreachable queue says why; a job is never left running."""

from __future__ import annotations

import subprocess
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app as celery_app
from programmes.models import Membership, Role
from reports import services
from reports.models import ReportJob
from reports.pdf import LocalStaticFetcher, static_roots
from reports.tasks import fail_stuck_jobs, stuck_after


def _membership(user) -> Membership:
    return Membership.objects.get(user=user)


def _wait_for(job: ReportJob, seconds: float = 60) -> ReportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {seconds}s")


@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_the_case_study_and_the_lead_downloads_it(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    lead = world.person(Role.TRAINING_LEAD)
    client.force_login(lead)
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        response = client.post(f"/programmes/{world.programme.pk}/case-study/request/")
        job = ReportJob.objects.get()
        assert response["Location"] == f"/reports/{job.pk}/"
        job = _wait_for(job)
    assert job.status == ReportJob.Status.DONE, job.failure_reason
    assert job.page_count >= 3
    download = client.get(f"/reports/{job.pk}/download/")
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF-")
    text = tmp_path / "report.pdf"
    text.write_bytes(pdf)
    words = subprocess.run(["pdftotext", str(text), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("The organisation", "What we did and why", "Intended benefits", "How we did it",
                    "Results and next steps", "Evaluation of the impact of the role",
                    "Tips for others", "Contact details"):
        assert heading in words
    assert "Inpatient assistant practitioner" in words
    assert "Page 2 of" in words


@pytest.mark.django_db(transaction=True)
def test_the_report_is_refused_to_other_roles_and_organisations(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True  # render in-process: this test is about access
    celery_app.conf.task_always_eager = True
    try:
        job = services.report_job_request(
            membership=_membership(world.person(Role.PLANNER)), kind=ReportJob.Kind.CASE_STUDY,
            programme=world.programme,
        )
    finally:
        celery_app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    client.force_login(world.outsider)
    assert client.get(f"/reports/{job.pk}/download/").status_code == 404
    client.force_login(world.person(Role.TRAINEE))  # not theirs to see: as if it did not exist
    assert client.get(f"/reports/{job.pk}/download/").status_code == 404
    assert client.post(f"/programmes/{world.programme.pk}/case-study/request/").status_code == 403
    client.force_login(world.person(Role.TRAINING_LEAD))
    assert client.get(f"/reports/{job.pk}/download/").status_code == 200


def _drop_broker_connections(*, close: bool = True) -> None:
    """Forget pooled connections, so the next publish connects to the broker_url set now."""
    if close:
        celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)  # the job is published when the request commits
def test_an_unreachable_queue_is_reported_and_nothing_hangs(world, client, settings):
    # An earlier test's live connection would still publish (left open: a worker may hold it).
    _drop_broker_connections(close=False)
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        client.force_login(world.person(Role.TRAINING_LEAD))
        started = time.monotonic()
        response = client.post(f"/programmes/{world.programme.pk}/case-study/request/", follow=True)
        took = time.monotonic() - started
    finally:
        # Back to the real broker: drop the pools holding connections to the dead one.
        celery_app.conf.broker_url = settings.CELERY_BROKER_URL
        _drop_broker_connections()
    assert b"The report queue is unavailable" in response.content
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED
    assert "unavailable" in job.failure_reason
    assert took < 5  # at once: kombu's own retries on a dead broker took 6 s (settings: max_retries 0)


def test_a_job_left_running_by_a_dead_worker_is_marked_failed(world):
    job = ReportJob.objects.create(
        organisation=world.organisation, kind=ReportJob.Kind.CASE_STUDY, programme=world.programme,
        status=ReportJob.Status.RUNNING, started_at=timezone.now() - stuck_after() - timedelta(minutes=1),
    )
    recent = ReportJob.objects.create(
        organisation=world.organisation, kind=ReportJob.Kind.CASE_STUDY, programme=world.programme,
        status=ReportJob.Status.RUNNING, started_at=timezone.now(),
    )
    assert fail_stuck_jobs() == 1
    job.refresh_from_db()
    recent.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "stopped before it finished" in job.failure_reason
    assert recent.status == ReportJob.Status.RUNNING


def test_a_finished_job_is_not_rendered_again(world):
    job = ReportJob.objects.create(
        organisation=world.organisation, kind=ReportJob.Kind.CASE_STUDY, programme=world.programme,
        status=ReportJob.Status.DONE,
    )
    assert services.job_start(job_id=job.pk) is None


def test_the_pdf_fetcher_refuses_the_network_and_files_outside_static():
    fetcher = LocalStaticFetcher(static_roots())
    for url in ("http://example.org/logo.png", "https://example.org/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    inside = (static_roots()[0] / "css" / "report.css").as_uri()
    assert fetcher.fetch(inside) is not None


@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_a_cohort_report_from_queued_through_running_to_done(world, client, monkeypatch):
    from reports import builders

    seen_while_building = []
    build = builders.BUILDERS[ReportJob.Kind.COHORT_PROGRESS]

    def watched(job, progress):
        seen_while_building.append(ReportJob.objects.get(pk=job.pk).status)
        return build(job, progress)

    monkeypatch.setitem(builders.BUILDERS, ReportJob.Kind.COHORT_PROGRESS, watched)
    client.force_login(world.person(Role.MANAGER))
    client.post(f"/cohorts/{world.cohort.pk}/progress-report/")  # no worker yet: it waits
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.QUEUED
    assert b"waiting for a worker" in client.get(f"/reports/{job.pk}/progress/").content
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        job = _wait_for(job)
    assert seen_while_building == [ReportJob.Status.RUNNING]
    assert job.status == ReportJob.Status.DONE, job.failure_reason
    assert job.file_name.startswith("cohort-progress-") and job.page_count >= 1
    page = client.get(f"/reports/{job.pk}/progress/").content.decode()
    assert "Your report is ready" in page and f"/reports/{job.pk}/download/" in page
    pdf = b"".join(client.get(f"/reports/{job.pk}/download/").streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Progress matrix" in text and "Sam" in text


@pytest.mark.django_db(transaction=True)
def test_a_render_that_raises_marks_the_job_failed_and_the_page_says_why(world, client, monkeypatch):
    from reports import builders

    def broken(job, progress):
        progress(30, "Drawing the charts")
        raise RuntimeError("the satisfaction figures for Larch Ward are missing a period")

    monkeypatch.setitem(builders.BUILDERS, ReportJob.Kind.CASE_STUDY, broken)
    client.force_login(world.person(Role.TRAINING_LEAD))
    with start_worker(celery_app, perform_ping_check=False, loglevel="CRITICAL"):
        client.post(f"/programmes/{world.programme.pk}/case-study/request/")
        job = _wait_for(ReportJob.objects.get())
    assert job.status == ReportJob.Status.FAILED
    assert job.attempts == 1  # not a transient error: no retry
    page = client.get(f"/reports/{job.pk}/").content.decode()
    assert "The report could not be produced" in page
    assert "the satisfaction figures for Larch Ward are missing a period" in page
    assert f"/reports/{job.pk}/download/" not in page
    assert client.get(f"/reports/{job.pk}/download/").status_code == 404
