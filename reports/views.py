from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from competencies.evidence.selectors import MATRIX_ROLES
from core.access import membership_required
from core.forms import add_service_errors
from core.jobs import QueueUnavailable
from programmes.selectors import get_cohort_for, get_programme_for
from trainees.selectors import get_trainee_for

from . import services
from .documents.case_study import gather
from .exports import KIND_OF_FORMAT
from .forms import ExportForm, NarrativeForm
from .models import CaseStudyNarrative, ReportJob
from .selectors import (
    EXPORT_ROLES,
    REPORT_ROLES,
    can_request_reports,
    check_can_request,
    get_job_for,
    report_jobs_visible_to,
)


def _queue(request, **job):
    """Ask for the report and show its page, or say the queue is down (nothing hangs)."""
    try:
        created = services.report_job_request(membership=request.membership, **job)
    except QueueUnavailable as error:
        messages.error(request, str(error))
        return redirect("reports:list")
    return redirect("reports:job_detail", pk=created.pk)


@membership_required(*REPORT_ROLES)
def case_study_edit(request, programme_pk: int):
    """The lead writes the case study's narrative; the figures come from the records. Every
    button saves what was typed first: "Save", "Save and preview", "Save and produce the PDF"."""
    programme = get_programme_for(membership=request.membership, pk=programme_pk, write=True)
    narrative = CaseStudyNarrative.objects.filter(programme=programme).first() or CaseStudyNarrative(
        programme=programme
    )
    form = NarrativeForm(request.POST or None, request.FILES or None, instance=narrative,
                         initial={"version": narrative.version})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in NarrativeForm.Meta.fields}
        fields["logo"] = form.cleaned_data["logo"] or None
        fields["remove_logo"] = form.cleaned_data["remove_logo"]
        try:
            services.narrative_update(programme=programme, actor=request.user,
                                      expected_version=form.cleaned_data["version"], **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The case study's words are saved.")
            if "produce" in request.POST:
                # Produce what is on the screen: saved just now, then rendered from the records.
                check_can_request(request.membership, programme)
                return _queue(request, kind=ReportJob.Kind.CASE_STUDY, programme=programme)
            if "preview" in request.POST:
                return redirect("reports:case_study_preview", programme_pk=programme.pk)
            return redirect("reports:case_study_edit", programme_pk=programme.pk)
    return render(request, "reports/case_study_edit.html",
                  {"programme": programme, "form": form, "narrative": narrative})


@membership_required(*REPORT_ROLES)
def case_study_preview(request, programme_pk: int):
    programme = get_programme_for(membership=request.membership, pk=programme_pk)
    check_can_request(request.membership, programme)
    return render(
        request,
        "reports/case_study_preview.html",
        {"programme": programme, "study": gather(programme, membership=request.membership)},
    )


CASE_STUDY_FORMATS = ("pdf", "docx")


@require_POST
@membership_required(*REPORT_ROLES)
def request_case_study(request, programme_pk: int):
    """The case study as a PDF, or (``format=docx``, "Download as Word") an editable Word file."""
    programme = get_programme_for(membership=request.membership, pk=programme_pk)
    check_can_request(request.membership, programme)
    file_format = request.POST.get("format") or "pdf"
    if file_format not in CASE_STUDY_FORMATS:
        messages.error(request, "Choose PDF or Word for the case study.")
        return redirect("reports:list")
    options = {"format": file_format} if file_format != "pdf" else None
    return _queue(request, kind=ReportJob.Kind.CASE_STUDY, programme=programme, options=options)


@require_POST
@membership_required(*MATRIX_ROLES)
def request_cohort_progress(request, cohort_pk: int):
    """Anyone who sees the cohort's progress matrix; the report shows the trainees they see."""
    cohort = get_cohort_for(membership=request.membership, pk=cohort_pk)
    return _queue(request, kind=ReportJob.Kind.COHORT_PROGRESS, cohort=cohort)


@require_POST
@membership_required()
def request_portfolio(request, trainee_pk: int):
    """Anyone who sees the trainee (the trainee themself too)."""
    trainee = get_trainee_for(membership=request.membership, pk=trainee_pk)
    return _queue(request, kind=ReportJob.Kind.TRAINEE_PORTFOLIO, trainee=trainee)


@require_http_methods(["GET", "POST"])
@membership_required(*EXPORT_ROLES)
def export(request):
    """Planners and leads choose tables and a format; the file is made by a report job."""
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _queue(
            request, kind=KIND_OF_FORMAT[form.cleaned_data["file_format"]],
            options={"datasets": form.cleaned_data["datasets"]},
        )
    return render(request, "reports/export_form.html", {"form": form})


@membership_required()
def job_list(request):
    jobs = report_jobs_visible_to(membership=request.membership)[:50]
    return render(request, "reports/job_list.html", {
        "jobs": jobs, "can_export": request.membership is not None and request.membership.role in EXPORT_ROLES,
    })


def _job_context(request, pk: int) -> dict:
    """The job, and for a case study whose reader may ask for reports, the other format to
    offer ("Download as Word" beside a PDF, "Download as PDF" beside a Word file)."""
    job = get_job_for(membership=request.membership, pk=pk)
    other_format = None
    case_study = job.kind == ReportJob.Kind.CASE_STUDY and job.programme
    if case_study and can_request_reports(request.membership, job.programme):
        other_format = "pdf" if job.file_format == "docx" else "docx"
    return {"job": job, "other_format": other_format}


@membership_required()
def job_detail(request, pk: int):
    return render(request, "reports/job_detail.html", _job_context(request, pk))


@membership_required()
def job_progress(request, pk: int):
    """The progress partial the job page polls (htmx) until the job is finished."""
    return render(request, "reports/_job_progress.html", _job_context(request, pk))


@membership_required()
def job_download(request, pk: int):
    job = get_job_for(membership=request.membership, pk=pk)  # the subject must still be visible
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("This report is not ready.")
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
