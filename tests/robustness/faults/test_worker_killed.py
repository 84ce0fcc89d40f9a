"""A Celery worker killed in the middle of a report render: the job is never left running.

The render pauses after each stage (the LADDER_TEST_REPORT_STAGE_PAUSE_SECONDS hook) so the
test can catch it mid-way. After SIGKILL the job is still "running" with no one rendering it;
the task was not acknowledged (acks late), so a new worker gets it back and renders it again
from the start, and the job ends done.
"""

from __future__ import annotations

import os
import signal

import pytest

from programmes.models import Role
from reports.models import ReportJob

from .workers import children, kill, start_worker, stop, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _job() -> ReportJob | None:
    return ReportJob.objects.order_by("pk").last()


def _request_case_study(client, world) -> ReportJob:
    client.force_login(world.person(Role.TRAINING_LEAD))
    response = client.post(f"/programmes/{world.programme.pk}/case-study/request/")
    assert response.status_code == 302
    job = _job()
    assert job.status == ReportJob.Status.QUEUED
    return job


def _mid_render(job: ReportJob) -> bool:
    job.refresh_from_db()
    return job.status == ReportJob.Status.RUNNING and job.progress >= 15


def _finished(job: ReportJob) -> bool:
    job.refresh_from_db()
    return job.is_finished


def test_a_worker_killed_mid_render_leaves_the_job_to_the_next_worker(world, client, tmp_path):
    job = _request_case_study(client, world)
    log = tmp_path / "workers.log"
    first = start_worker(log, LADDER_TEST_REPORT_STAGE_PAUSE_SECONDS="2")
    try:
        wait_until(lambda: _mid_render(job), seconds=90, what="rendering")
        kill(first)
    finally:
        stop(first)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING, "killed mid-render, nobody finishes it"
    assert job.attempts == 1

    # The next worker takes back tasks unacknowledged for longer than the visibility timeout
    # (short here: the killed worker's delivery is seconds old), looking every second.
    second = start_worker(
        log, CELERY_VISIBILITY_TIMEOUT="3", CELERY_UNACKED_RESTORE_INTERVAL="1",
        CELERY_UNACKED_RESTORE_THROTTLE="1",
    )
    try:
        wait_until(lambda: _finished(job), seconds=120, what="finished")
    finally:
        stop(second)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, (job.failure_reason, log.read_text()[-3000:])
    assert job.attempts == 2, "rendered again from the start"
    assert job.file and job.page_count >= 3


def test_a_killed_pool_process_hands_the_task_back_at_once(world, client, tmp_path):
    # The worker itself lives on and its pool process dies (the OOM killer's usual victim):
    # reject_on_worker_lost requeues the task straight away and the job is rendered again.
    job = _request_case_study(client, world)
    log = tmp_path / "workers.log"
    worker = start_worker(log, pool="prefork", LADDER_TEST_REPORT_STAGE_PAUSE_SECONDS="1")
    try:
        wait_until(lambda: _mid_render(job), seconds=90, what="rendering")
        pool = children(worker.pid)
        assert pool, "a prefork worker has a pool process"
        for pid in pool:
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: _finished(job), seconds=120, what="finished")
    finally:
        stop(worker)
    job.refresh_from_db()
    assert job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED)
    if job.status == ReportJob.Status.FAILED:
        assert job.failure_reason, "a failed job says why"
    else:
        assert job.attempts >= 2


@pytest.mark.django_db
def test_a_job_that_keeps_killing_its_worker_is_given_up_with_a_reason(world):
    # Each redelivery restarts the job's clock, so the stuck-job sweep would never catch a
    # report that kills every worker that renders it: the attempts are capped instead.
    from reports import services

    job = ReportJob.objects.create(
        organisation=world.organisation, kind=ReportJob.Kind.CASE_STUDY, programme=world.programme,
        status=ReportJob.Status.RUNNING, attempts=services.MAX_ATTEMPTS,
    )
    assert services.job_start(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "worker stopped before it finished" in job.failure_reason

    job.status, job.attempts = ReportJob.Status.RUNNING, services.MAX_ATTEMPTS - 1
    job.save()
    assert services.job_start(job_id=job.pk) is not None, "below the cap it is rendered again"
