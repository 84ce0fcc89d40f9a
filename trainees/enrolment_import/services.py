"""Writes for bulk enrolment: store a checked upload, then import it all-or-nothing.

The life of an EnrolmentImport::

    upload (checked) -> previewed --confirm, <= SYNC_ROW_LIMIT rows--> done | failed
                                  --confirm, more rows--> queued -> running -> done | failed

A file that fails the checks is never stored (it may hold people's details and is of no use);
the upload page lists every problem instead.

All-or-nothing: the import runs in one transaction, holding a lock on the import's row and on
the cohort's row (so two imports into one cohort cannot interleave). It checks the file again
first, because people and trainees may have changed since the preview, then creates or enrols
each row through trainees.services (so each change is validated and audited with the person
who confirmed the import as its actor). Any problem rolls everything back; the import is then
marked failed, in a new transaction, with the reason.

Progress while a job runs cannot be read from the database: the job's own transaction is
still open and holds its row. The worker puts it in the Django cache (Redis in production,
shared by web and worker processes) every PROGRESS_EVERY rows or PROGRESS_SECONDS;
:func:`progress_of` reads it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import StaleEdit
from core.instances import build_instances
from core.jobs import enqueue_on_commit
from core.memory import collector_paused
from programmes.models import Cohort
from programmes.services import clinical_area_ensure

from .. import services as trainee_services
from ..models import Trainee
from ..signals import enrolment_import_applied
from .models import EnrolmentImport
from .parsing import MAX_BYTES, ParsedFile, RowError, parse_enrolment_csv, too_big_message
from .validation import Plan, plan_enrolment_import

logger = logging.getLogger(__name__)

# More rows than this run as a Celery job. The rows are written in bulk (a constant number of
# queries, thousands of rows a second); the limit stays low because the invitations' emails and
# the higher floors' work still grow with the rows, and a queued job shows its progress.
SYNC_ROW_LIMIT = 100
PROGRESS_EVERY = 100  # rows; and at least every PROGRESS_SECONDS
PROGRESS_SECONDS = 1.0
PROGRESS_TTL = 60 * 60 * 6
QUEUE_UNAVAILABLE = "The job queue is unavailable; try again shortly."
Status = EnrolmentImport.Status


class ImportRejected(Exception):
    """The file no longer passes the checks (the data changed since the preview)."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


class ImportFailed(Exception):
    """A row could not be saved; the whole import is rolled back."""

    def __init__(self, line: int | None, message: str):
        super().__init__(f"Line {line}: {message}" if line is not None else message)
        self.line, self.message = line, message


class StaleImport(StaleEdit):
    """The import was changed (started, or finished) after the page showing it was loaded. Its
    own class so that the import's run re-raises only this (any other error inside the import
    fails the import with a reason)."""


# --- Upload and check --------------------------------------------------------------------------


@dataclass
class UploadOutcome:
    job: EnrolmentImport | None = None
    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)


def enrolment_import_check(
    *, data: bytes, cohort: Cohort, create_wards: bool
) -> tuple[ParsedFile, Plan | None]:
    """Parse and check a file against the cohort. Three queries whatever its size."""
    parsed = parse_enrolment_csv(data)
    if parsed.file_errors:
        return parsed, None
    return parsed, plan_enrolment_import(rows=parsed.rows, cohort=cohort, create_wards=create_wards)


@transaction.atomic
def enrolment_import_upload(
    *, cohort: Cohort, actor, upload, create_wards: bool = False
) -> UploadOutcome:
    """Check an uploaded file; if every row passes, store it as an import ready to confirm.

    ``upload`` is an UploadedFile (or anything with ``size``, ``name`` and ``read()``).
    The caller has checked that ``actor`` may change the cohort."""
    if upload.size > MAX_BYTES:  # refused before reading it into memory
        return UploadOutcome(file_errors=[too_big_message(upload.size)])
    data = upload.read()
    parsed, plan = enrolment_import_check(data=data, cohort=cohort, create_wards=create_wards)
    if plan is None:
        return UploadOutcome(file_errors=parsed.file_errors)
    row_errors = sorted(parsed.row_errors + plan.errors, key=lambda e: e.line or 0)
    if row_errors:
        return UploadOutcome(row_errors=row_errors)
    job = EnrolmentImport(
        organisation_id=cohort.programme.organisation_id,
        cohort=cohort,
        uploaded_by=actor,
        original_name=(upload.name or "")[-255:],
        create_wards=create_wards,
        status=Status.PREVIEWED,
        row_count=len(plan.rows),
        plan=plan.summary(),
    )
    job.file.save("upload.csv", ContentFile(data), save=False)
    job.full_clean()
    job.save()
    return UploadOutcome(job=job)


def enrolment_import_recheck(*, job: EnrolmentImport) -> tuple[ParsedFile, Plan | None]:
    """Check a stored import's file again against today's data (the preview page does)."""
    with job.file.open("rb") as handle:
        data = handle.read()
    return enrolment_import_check(data=data, cohort=job.cohort, create_wards=job.create_wards)


# --- Confirm: import now, or queue ------------------------------------------------------------


def enrolment_import_confirm(*, job: EnrolmentImport, actor, expected_version: int) -> EnrolmentImport:
    """Start a previewed import. Up to SYNC_ROW_LIMIT rows are imported here and now; more are
    queued as a Celery job once the caller's transaction commits (core.jobs.enqueue_on_commit,
    with two quick retries of the publish). If the queue cannot be reached nobody will ever run
    the job: it goes back to "previewed", so it can be tried again, and QueueUnavailable is
    raised (from the commit of the caller's transaction if it holds one). Raises StaleImport if
    it was already started or changed since ``expected_version`` was read."""
    if job.status != Status.PREVIEWED or job.version != expected_version:
        raise StaleImport(
            "This import has already been started, or it changed after you loaded the page."
        )
    if job.row_count <= SYNC_ROW_LIMIT:
        return _run(job.pk, expected_status=Status.PREVIEWED, expected_version=expected_version, actor=actor)

    from .tasks import run_enrolment_import

    with transaction.atomic():
        claimed = EnrolmentImport.objects.filter(
            pk=job.pk, status=Status.PREVIEWED, version=expected_version
        ).update(status=Status.QUEUED, confirmed_by=actor, version=F("version") + 1)
        if not claimed:
            raise StaleImport(
                "This import has already been started, or it changed after you loaded the page."
            )
        enqueue_on_commit(
            run_enrolment_import, args=[job.pk], what=f"Enrolment import {job.pk}",
            unavailable_message=QUEUE_UNAVAILABLE, on_unavailable=lambda: _unqueue(job.pk),
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
        )
    job.refresh_from_db()
    return job


def _unqueue(job_id: int) -> None:
    """Back to "previewed" a queued import whose job the queue did not take."""
    EnrolmentImport.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.PREVIEWED, confirmed_by=None, version=F("version") + 1
    )


def enrolment_import_run(*, job_id: int) -> EnrolmentImport | None:
    """The Celery job's body: claim a queued import and run it. Safe to call twice for one
    import (a redelivered task): a second call finds it locked, running or finished, and returns."""
    with transaction.atomic():
        job = EnrolmentImport.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None or job.status not in (Status.QUEUED, Status.RUNNING):
            return job  # being run by another worker, finished, or never queued
        # Committed at once, so the page says "Importing" while the long transaction runs.
        job.status, job.started_at, job.version = Status.RUNNING, timezone.now(), job.version + 1
        job.save(update_fields=["status", "started_at", "version"])
    _set_progress(job_id, 0)
    return _run(job_id, expected_status=Status.RUNNING, progress=lambda n: _set_progress(job_id, n))


# --- The import itself -------------------------------------------------------------------------


def _run(
    job_id: int,
    *,
    expected_status: str,
    expected_version: int | None = None,
    actor=None,
    progress=None,
) -> EnrolmentImport | None:
    try:
        with transaction.atomic():
            job = (
                EnrolmentImport.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("cohort", "confirmed_by")
                .filter(pk=job_id)
                .first()
            )
            if job is None or job.status != expected_status:
                return job
            if expected_version is not None and job.version != expected_version:
                raise StaleImport("This import changed after you loaded the page.")
            if actor is not None:
                job.confirmed_by = actor
            enrolment_import_apply(job=job, progress=progress)
        return job
    except ImportRejected as exc:
        lines = {e.line for e in exc.errors}
        what = "The file" if None in lines else f"{len(lines)} row{'' if len(lines) == 1 else 's'}"
        reason = (
            f"{what} no longer pass{'es' if what == 'The file' or len(lines) == 1 else ''} the "
            "checks: something changed in Ladder after the file was checked. Nothing was "
            "imported. Fix what is listed and upload the file again."
        )
        return _fail(job_id, reason, errors=exc.errors)
    except ImportFailed as exc:
        what = "The rows" if exc.line is None else f"Line {exc.line}"
        return _fail(
            job_id,
            f"{what} could not be saved: {exc.message} Nothing was imported.",
            errors=[RowError(exc.line, exc.message)],
        )
    except SoftTimeLimitExceeded:
        return _fail(
            job_id,
            "The import took too long and was stopped. Nothing was imported. "
            "Split the file into smaller files and import them one at a time.",
        )
    except StaleImport:
        raise
    except Exception:
        logger.exception("Enrolment import %s failed", job_id)
        return _fail(
            job_id,
            "Something went wrong on our side and the import was stopped. "
            "Nothing was imported. Try again; if it happens again, tell your administrator.",
        )
    finally:
        _clear_progress(job_id)


@collector_paused()
def enrolment_import_apply(*, job: EnrolmentImport, progress=None) -> EnrolmentImport:
    """Import every row of a locked job, in the caller's transaction, and mark it done.

    Locks the cohort row. Checks the file again (raises ImportRejected with every problem),
    then writes every row at once through trainees.services.enrolments_create_bulk (the new
    trainees, the enrolments, their contracts and audit entries, with the person who confirmed
    as the actor). Raises ImportFailed with the line of a row the services refuse (or no line
    when the database refuses the batch); the caller rolls back. Calls ``progress(n)`` once
    the rows are written. Runs with the cyclic garbage collector paused (core.memory says why)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enrolment_import_apply must run inside the caller's transaction")
    cohort = (
        Cohort.objects.select_for_update()
        .select_related("programme__organisation")
        .get(pk=job.cohort_id)
    )
    job.cohort = cohort
    with job.file.open("rb") as handle:
        data = handle.read()
    parsed, plan = enrolment_import_check(data=data, cohort=cohort, create_wards=job.create_wards)
    if plan is None:
        raise ImportRejected([RowError(None, message) for message in parsed.file_errors])
    if parsed.row_errors or plan.errors:
        raise ImportRejected(sorted(parsed.row_errors + plan.errors, key=lambda e: e.line or 0))

    organisation, actor = cohort.programme.organisation, job.confirmed_by
    wards = {
        name: clinical_area_ensure(organisation=organisation, name=name) for name in plan.new_wards
    }
    # The new trainees made at once (core.instances); the ward, manager and mentor by their
    # keys: nothing here reads them back.
    new_rows = [row for row in plan.rows if row.existing is None]
    wards_of = [row.ward or wards.get(row.new_ward) for row in new_rows]
    made = iter(build_instances(Trainee, {
        "employee_number": [row.employee_number for row in new_rows],
        "first_name": [row.first_name for row in new_rows],
        "last_name": [row.last_name for row in new_rows],
        "email": [row.email for row in new_rows],
        "band": [row.band for row in new_rows],
        "job_title": [row.job_title for row in new_rows],
        "clinical_area_id": [ward.pk if ward else None for ward in wards_of],
        "line_manager_id": [row.line_manager.pk if row.line_manager else None for row in new_rows],
        "mentor_id": [row.mentor.pk if row.mentor else None for row in new_rows],
    }, shared={"organisation": organisation}))
    rows = [
        trainee_services.NewEnrolment(
            trainee=next(made) if row.existing is None else row.existing,
            enrolled_on=row.enrolled_on, status=row.status,
            reason=f"Enrolled by CSV import (line {row.line})", key=row.line,
        )
        for row in plan.rows
    ]
    # Every row is checked before the first is written; then one statement per table (a COPY),
    # the audit entries included: the row-by-row path cost about 30 queries a row.
    try:
        # The plan has just checked every field as clean_fields would.
        trainee_services.enrolments_create_bulk(cohort=cohort, actor=actor, rows=rows, fields_checked=True)
    except trainee_services.BulkRefused as exc:
        raise ImportFailed(exc.key, " ".join(exc.messages)) from exc
    except DatabaseError as exc:
        logger.warning("Enrolment import %s refused by the database: %s", job.pk, exc)
        raise ImportFailed(
            plan.rows[0].line if plan.rows else 0,
            "the database refused it (another change may have happened at the same moment).",
        ) from exc
    if progress:
        progress(len(plan.rows))
    new_trainees = [(row.line, r.trainee) for row, r in zip(plan.rows, rows, strict=True) if row.existing is None]
    created = len(new_trainees)

    # Higher floors act on the new trainees in this transaction (people invites those with an
    # email: the invitations stand or fall with the import; their emails go after commit).
    # A receiver that cannot do its part raises ImportFailed with the row's line.
    responses = enrolment_import_applied.send(
        sender=EnrolmentImport, job=job, trainees=new_trainees, actor=actor
    )
    invited = sum(response for _, response in responses if isinstance(response, int))

    stored = job.file.name
    job.status = Status.DONE
    job.row_count = job.processed_rows = len(plan.rows)
    job.result = {
        "created": created,
        "existing": len(plan.rows) - created,
        "enrolled": len(plan.rows),
        "wards_created": len(wards),
        "invited": invited,
    }
    job.errors, job.failure_reason = [], ""
    job.finished_at = timezone.now()
    job.version += 1
    job.file = ""  # the people are in Ladder now; the copy of the file is not needed
    job.save()
    transaction.on_commit(lambda: _discard_file(stored))
    return job


def _fail(job_id: int, reason: str, *, errors: list[RowError] = ()) -> EnrolmentImport | None:
    job = EnrolmentImport.objects.filter(pk=job_id).first()
    if job is None:
        return None
    stored = job.file.name
    EnrolmentImport.objects.filter(pk=job_id).update(
        status=Status.FAILED,
        failure_reason=reason,
        errors=[e.as_dict() for e in errors],
        finished_at=timezone.now(),
        version=F("version") + 1,
        file="",
        processed_rows=0,
    )
    _discard_file(stored)
    job.refresh_from_db()
    return job


def _discard_file(name: str) -> None:
    if not name:
        return
    try:
        EnrolmentImport._meta.get_field("file").storage.delete(name)
    except OSError:
        logger.warning("Could not delete the uploaded import file %s", name)


# --- Progress ------------------------------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"enrolment-import:{job_id}:progress"


def _set_progress(job_id: int, processed: int) -> None:
    try:
        cache.set(_progress_key(job_id), processed, PROGRESS_TTL)
    except Exception:  # progress is a nicety: a cache outage must not stop the import
        logger.warning("Could not record progress of enrolment import %s", job_id, exc_info=True)


def _clear_progress(job_id: int) -> None:
    try:
        cache.delete(_progress_key(job_id))
    except Exception:
        logger.warning("Could not clear progress of enrolment import %s", job_id, exc_info=True)


def progress_of(job: EnrolmentImport) -> int:
    """Rows imported so far: from the cache while the job runs, else from the job's row."""
    if job.status == Status.RUNNING:
        try:
            value = cache.get(_progress_key(job.pk))
        except Exception:
            value = None
        return min(int(value or 0), job.row_count)
    return job.processed_rows
