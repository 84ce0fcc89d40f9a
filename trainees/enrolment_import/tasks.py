"""The Celery job for big enrolment imports. Thin: it takes the import's id and calls the service.

The worker must import this module: config/celery.py discovers it with
``app.autodiscover_tasks(["trainees.enrolment_import"])``.
"""

from __future__ import annotations

from celery import shared_task

from .services import enrolment_import_run

# Each row goes through the trainee services (about 30 queries: validation, the audit trail,
# the learning contract), 15 to 50 rows a second: 20,000 rows can take over ten minutes, far
# beyond the project's default limits. If Redis redelivers the job while it still runs (its
# visibility timeout is shorter than this), the second worker finds the import locked and
# returns at once: see enrolment_import_run.
SOFT_TIME_LIMIT = 60 * 30
TIME_LIMIT = SOFT_TIME_LIMIT + 60


# acks_late: a worker that dies mid-import hands the job back; its transaction was rolled back,
# and enrolment_import_run takes a "running" import up again.
@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    name="trainees.enrolment_import.run",
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def run_enrolment_import(self, import_id: int) -> None:
    enrolment_import_run(job_id=import_id)
