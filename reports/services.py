"""Asking for reports, and the life of a report job (queued -> running -> done | failed).

The job row is the single source of truth the pages poll. Progress updates are single-row
UPDATEs outside any long transaction, so they are visible while a render is under way.
"""

from __future__ import annotations

import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.errors import StaleEdit
from core.images import ImageTooLarge, open_image
from core.jobs import enqueue_on_commit
from programmes.models import Membership, Programme

from .models import CaseStudyNarrative, ReportJob

log = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = (
    "The report queue is unavailable just now, so the report could not be started. "
    "Nothing was lost: try again in a few minutes."
)


# Tries of one job, counting each start: the task's own retries (tasks.MAX_RETRIES + 1) and
# one more after a worker died mid-render.
MAX_ATTEMPTS = 5
GAVE_UP = (
    "The report was started several times and each time its worker stopped before it "
    "finished, so Ladder gave up. Ask for it again; if this keeps happening, ask for a smaller "
    "report (one cohort rather than a programme) or tell your administrator."
)


def report_job_request(
    *, membership: Membership, kind: str, programme: Programme | None = None,
    cohort=None, trainee=None, options: dict | None = None,
) -> ReportJob:
    """Record what was asked and queue the render after commit. Raises QueueUnavailable (with
    the job marked failed) when the broker cannot be reached, so the page can say so."""
    with transaction.atomic():
        # The membership it was asked through decides what the report shows (a person may
        # have two roles in one organisation).
        job = ReportJob(
            organisation=membership.organisation, kind=kind, programme=programme, cohort=cohort,
            trainee=trainee, options={**(options or {}), "membership_id": membership.pk},
            requested_by=membership.user,
        )
        job.full_clean()
        job.save()
        _enqueue(job)
    return job


def _enqueue(job: ReportJob) -> None:
    """Render the job in a worker once the caller's transaction commits; if the queue is
    down, the job is marked failed and QueueUnavailable raised (see core.jobs)."""
    from .tasks import render_report

    enqueue_on_commit(
        render_report, args=[job.pk], what=f"Report job {job.pk}",
        unavailable_message=QUEUE_UNAVAILABLE,
        on_unavailable=lambda: job_fail(job_id=job.pk, reason=QUEUE_UNAVAILABLE),
    )


def job_start(*, job_id: int) -> ReportJob | None:
    """Claim the job for rendering. None if it is finished already (a redelivered task must
    not render twice) or gone. A job found running was interrupted (its worker died): it is
    rendered again from the start, unless it has been tried MAX_ATTEMPTS times already, when
    it is marked failed instead (a report that kills its worker every time would otherwise
    come back for ever, and the stuck-job sweep never sees it: each try restarts its clock)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.status == ReportJob.Status.RUNNING and job.attempts >= MAX_ATTEMPTS:
            job_fail(job_id=job.pk, reason=GAVE_UP)
            return None
        job.status = ReportJob.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.progress, job.stage = 5, "Starting"
        job.save(update_fields=["status", "attempts", "started_at", "progress", "stage"])
    return job


def job_progress(*, job_id: int, percent: int, stage: str) -> None:
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        progress=max(0, min(99, percent)), stage=stage[:120]
    )


def job_finish(*, job_id: int, content: bytes, file_name: str, page_count: int | None) -> None:
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return
        job.file.save(file_name, ContentFile(content), save=False)
        job.file_name = file_name
        job.page_count = page_count
        job.status, job.progress, job.stage = ReportJob.Status.DONE, 100, "Done"
        job.finished_at = timezone.now()
        job.save()


def job_fail(*, job_id: int, reason: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
        status=ReportJob.Status.FAILED, failure_reason=reason[:2000], stage="Failed",
        finished_at=timezone.now(),
    )


LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000


def logo_check(upload) -> ContentFile:
    """An uploaded logo, checked by its content (not its name): a PNG or JPEG image Pillow can
    read, smaller than 2 MB and at most 4000 pixels a side. Returns it named by what it is."""
    from PIL import Image, UnidentifiedImageError

    problem = ValidationError({"logo": "The logo must be a PNG or JPEG image."})
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError({"logo": "The logo must be smaller than 2 MB."})
    too_big = ValidationError({"logo": f"The logo must be at most {LOGO_MAX_SIDE} pixels wide and high."})
    upload.seek(0)
    content = upload.read()
    # The size is checked from the header, before any pixel is decoded (core.images).
    try:
        with open_image(io.BytesIO(content)) as image:
            kind, size = image.format, image.size
            image.verify()
        if max(size) > LOGO_MAX_SIDE:
            raise too_big
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except ImageTooLarge:
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise problem from None
    if kind not in ("PNG", "JPEG"):
        raise problem
    return ContentFile(content, name="logo.png" if kind == "PNG" else "logo.jpg")


@transaction.atomic
def narrative_update(*, programme: Programme, actor, expected_version: int | None = None,
                     **fields) -> CaseStudyNarrative:
    narrative, _ = CaseStudyNarrative.objects.select_for_update().get_or_create(programme=programme)
    if expected_version is not None and narrative.version != expected_version:
        raise StaleEdit(
            "Someone else changed this case study while you were editing it. "
            "Reload the page to see their words, then make your change again."
        )
    from .documents.case_study import NARRATIVE_FIELDS

    logo = fields.pop("logo", None)
    remove_logo = fields.pop("remove_logo", False)
    for name, value in fields.items():
        if name not in NARRATIVE_FIELDS:
            raise TypeError(f"Cannot set {name}")
        setattr(narrative, name, value.strip() if isinstance(value, str) else value)
    old_logo = narrative.logo.name if narrative.logo else ""
    if logo is not None:
        checked = logo_check(logo)
        narrative.logo.save(checked.name, checked, save=False)
    elif remove_logo:
        narrative.logo = ""
    if old_logo and narrative.logo.name != old_logo:
        storage, name = narrative.logo.storage, old_logo
        transaction.on_commit(lambda: storage.delete(name))
    if narrative.service_user_quotes.strip() and not narrative.service_user_quotes_consented:
        raise ValidationError({"service_user_quotes_consented": (
            "Confirm that everyone quoted agreed to be quoted, or remove the quotes."
        )})
    narrative.version += 1
    narrative.updated_by = actor
    narrative.full_clean()
    narrative.save()
    return narrative
