"""Celery tasks for reports: thin wrappers around builders and services."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services
from .builders import BUILDERS, CannotProduce
from .models import ReportJob

log = logging.getLogger(__name__)

# Errors worth another try (the database or a file system hiccup), with backoff.
TRANSIENT = (OperationalError, InterfaceError, TimeoutError)
MAX_RETRIES = 3


@shared_task(
    bind=True, name="reports.render_report", acks_late=True, reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def render_report(self, job_id: int) -> str:
    """Render one report job. Idempotent: a finished job is left alone, and a job whose worker
    died mid-render (acks late: the task comes back) is rendered again from the start."""
    job = services.job_start(job_id=job_id)
    if job is None:
        return "already finished"
    builder = BUILDERS.get(job.kind)
    if builder is None:
        services.job_fail(job_id=job_id, reason=f"Ladder cannot produce '{job.get_kind_display()}' reports yet.")
        return "failed"

    def progress(percent: int, stage: str) -> None:
        services.job_progress(job_id=job_id, percent=percent, stage=stage)
        _pause_for_fault_tests()

    try:
        content, file_name, pages = builder(job, progress)
    except CannotProduce as exc:
        services.job_fail(job_id=job_id, reason=str(exc))
        return "failed"
    except SoftTimeLimitExceeded:
        services.job_fail(job_id=job_id, reason=(
            "The report took longer than the time allowed and was stopped. Try again; if it "
            "keeps happening, ask for a smaller report (one cohort rather than a programme)."))
        return "failed"
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            services.job_fail(
                job_id=job_id,
                reason=f"The report could not be rendered after {MAX_RETRIES + 1} tries ({exc.__class__.__name__}).",
            )
            return "failed"
        log.warning("Report job %s hit a transient error, retrying: %s", job_id, exc)
        raise self.retry(exc=exc, countdown=min(60, 2 ** (self.request.retries + 1))) from exc
    except Exception as exc:
        log.exception("Report job %s failed", job_id)
        services.job_fail(job_id=job_id, reason=f"The report could not be rendered: {exc}")
        return "failed"
    services.job_finish(job_id=job_id, content=content, file_name=file_name, page_count=pages)
    return "done"


def _pause_for_fault_tests() -> None:
    # The fault tests' hook: they set this to catch the render between stages and kill the
    # worker. Zero (no pause) everywhere else.
    pause = settings.LADDER_TEST_REPORT_STAGE_PAUSE_SECONDS
    if pause:
        time.sleep(pause)


def stuck_after() -> timedelta:
    """A running job older than this has no live worker: each try is killed at the hard time
    limit, and a lost task comes back after the broker's visibility timeout."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * (MAX_RETRIES + 1) + visibility)


@shared_task(name="reports.fail_stuck_jobs", ignore_result=True)
def fail_stuck_jobs() -> int:
    """Beat, every few minutes: never leave a job 'running' forever."""
    cutoff = timezone.now() - stuck_after()
    stuck = list(ReportJob.objects.filter(status=ReportJob.Status.RUNNING, started_at__lt=cutoff)
                 .values_list("pk", flat=True))
    for job_id in stuck:
        services.job_fail(job_id=job_id, reason=(
            "The worker rendering this report stopped before it finished. Ask for the report again."))
    return len(stuck)
