"""Pages of the bulk enrolment import. Only the training leads of the cohort's programme's
organisation may use them (others get 403; people of other organisations 404)."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from core.access import membership_required
from core.jobs import QueueUnavailable
from core.pagination import paginate
from programmes.models import Role
from programmes.selectors import get_cohort_for

from . import services
from .forms import EnrolmentImportForm
from .models import EnrolmentImport
from .parsing import COLUMNS, MAX_BYTES, MAX_ROWS, RowError
from .selectors import example_csv, get_import_for

PREVIEW_PAGE_SIZE = 100
Status = EnrolmentImport.Status


def _by_line(errors) -> list[tuple[int | None, list[str]]]:
    """[(line, [messages])], file-wide problems (line None) first."""
    errors = [
        e if isinstance(e, RowError) else RowError(e.get("line"), e["message"]) for e in errors
    ]
    errors.sort(key=lambda e: (e.line is not None, e.line or 0))
    return [
        (line, [e.message for e in group]) for line, group in groupby(errors, key=lambda e: e.line)
    ]


@membership_required(Role.TRAINING_LEAD)
def upload(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for(membership=request.membership, pk=cohort_pk, write=True)
    posted = request.method == "POST"
    form = EnrolmentImportForm(request.POST, request.FILES) if posted else EnrolmentImportForm()
    row_errors: list[RowError] = []
    if posted and form.is_valid():
        outcome = services.enrolment_import_upload(
            cohort=cohort,
            actor=request.user,
            upload=form.cleaned_data["file"],
            create_wards=form.cleaned_data["create_wards"],
        )
        if outcome.job is not None:
            return redirect("enrolment_import:preview", pk=outcome.job.pk)
        for message in outcome.file_errors:
            form.add_error("file", message)
        if outcome.row_errors:
            row_errors = outcome.row_errors
            lines = len({e.line for e in row_errors})
            form.add_error(
                "file",
                (
                    f"{lines} row{'s' if lines != 1 else ''} of the file "
                    f"{'have' if lines != 1 else 'has'} problems, listed on this page. Nothing has "
                    "been imported: fix every row listed and upload the file again."
                ),
            )
    return render(
        request,
        "trainees/import_upload.html",
        {
            "cohort": cohort,
            "form": form,
            "columns": COLUMNS,
            "error_lines": _by_line(row_errors),
            "bad_row_count": len({e.line for e in row_errors}),
            "max_mb": MAX_BYTES // 1024 // 1024,
            "max_rows": MAX_ROWS,
            "sync_limit": services.SYNC_ROW_LIMIT,
        },
    )


@membership_required(Role.TRAINING_LEAD)
def example(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for(membership=request.membership, pk=cohort_pk, write=True)
    # With a byte-order mark, so that Excel opens it as UTF-8.
    response = HttpResponse(
        "\ufeff" + example_csv(cohort=cohort), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="ladder-enrolment-example.csv"'
    return response


def _preview_context(request: HttpRequest, job: EnrolmentImport) -> dict:
    context: dict = {"job": job, "cohort": job.cohort, "sync_limit": services.SYNC_ROW_LIMIT}
    if job.status == Status.PREVIEWED:
        try:
            parsed, plan = services.enrolment_import_recheck(job=job)
        except OSError:
            context["stale_errors"] = _by_line(
                [RowError(None, "The uploaded file is no longer available. Upload it again.")]
            )
            return context
        errors = (
            [RowError(None, m) for m in parsed.file_errors]
            if plan is None
            else parsed.row_errors + plan.errors
        )
        if errors:
            context["stale_errors"] = _by_line(errors)
        else:
            page = paginate(request, plan.rows, PREVIEW_PAGE_SIZE)
            context.update(plan=plan, page=page)
    elif job.is_in_progress:
        context.update(_progress_context(job))
    elif job.status == Status.FAILED:
        context["error_lines"] = _by_line(job.errors)
    return context


def _progress_context(job: EnrolmentImport) -> dict:
    processed = services.progress_of(job)
    percent = int(processed * 100 / job.row_count) if job.row_count else 0
    return {"job": job, "processed": processed, "percent": percent}


@membership_required(Role.TRAINING_LEAD)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for(membership=request.membership, pk=pk)
    return render(request, "trainees/import_preview.html", _preview_context(request, job))


@membership_required(Role.TRAINING_LEAD)
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for(membership=request.membership, pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.enrolment_import_confirm(job=job, actor=request.user, expected_version=version)
    except services.StaleImport as exc:
        messages.warning(request, exc.messages[0])
    except QueueUnavailable as exc:
        job.refresh_from_db()
        context = _preview_context(request, job)
        context["queue_error"] = str(exc)
        return render(request, "trainees/import_preview.html", context, status=503)
    return redirect("enrolment_import:preview", pk=job.pk)


@membership_required(Role.TRAINING_LEAD)
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx every second while the job is queued or running; once
    it has finished, htmx is told to reload the page, which then shows the result."""
    job = get_import_for(membership=request.membership, pk=pk)
    if request.htmx and not job.is_in_progress:
        return HttpResponseClientRefresh()
    return render(request, "trainees/import_progress.html", _progress_context(job))
