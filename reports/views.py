from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from programmes.access import membership_required
from programmes.selectors import get_programme_for

from . import services
from .documents.case_study import gather
from .forms import NarrativeForm
from .models import CaseStudyNarrative, ReportJob
from .selectors import REPORT_ROLES, check_can_request, get_job_for, report_jobs_visible_to


@membership_required(*REPORT_ROLES)
def case_study_edit(request, programme_pk: int):
    """The lead writes the case study's narrative; the figures come from the records."""
    programme = get_programme_for(membership=request.membership, pk=programme_pk, write=True)
    narrative = CaseStudyNarrative.objects.filter(programme=programme).first() or CaseStudyNarrative(programme=programme)
    form = NarrativeForm(request.POST or None, instance=narrative, initial={"version": narrative.version})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in NarrativeForm.Meta.fields}
        try:
            services.narrative_update(programme=programme, actor=request.user,
                                      expected_version=form.cleaned_data["version"], **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The case study's words are saved.")
            if "preview" in request.POST:
                return redirect("reports:case_study_preview", programme_pk=programme.pk)
            return redirect("reports:case_study_edit", programme_pk=programme.pk)
    return render(request, "reports/case_study_edit.html", {"programme": programme, "form": form})


@membership_required(*REPORT_ROLES)
def case_study_preview(request, programme_pk: int):
    programme = get_programme_for(membership=request.membership, pk=programme_pk)
    check_can_request(request.membership, programme)
    return render(request, "reports/case_study_preview.html", {"programme": programme, "study": gather(programme, membership=request.membership)})


@require_POST
@membership_required(*REPORT_ROLES)
def request_case_study(request, programme_pk: int):
    programme = get_programme_for(membership=request.membership, pk=programme_pk)
    check_can_request(request.membership, programme)
    try:
        job = services.report_job_request(
            membership=request.membership, kind=ReportJob.Kind.CASE_STUDY, programme=programme
        )
    except services.QueueUnavailable as error:
        messages.error(request, str(error))
        return redirect("reports:list")
    return redirect("reports:job_detail", pk=job.pk)


@membership_required()
def job_list(request):
    jobs = report_jobs_visible_to(membership=request.membership)[:50]
    return render(request, "reports/job_list.html", {"jobs": jobs})


@membership_required()
def job_detail(request, pk: int):
    return render(request, "reports/job_detail.html", {"job": get_job_for(membership=request.membership, pk=pk)})


@membership_required()
def job_progress(request, pk: int):
    """The progress partial the job page polls (htmx) until the job is finished."""
    return render(request, "reports/_job_progress.html", {"job": get_job_for(membership=request.membership, pk=pk)})


@membership_required()
def job_download(request, pk: int):
    job = get_job_for(membership=request.membership, pk=pk)
    if job.programme_id:  # the programme must still be visible to the person asking
        get_programme_for(membership=request.membership, pk=job.programme_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404("This report is not ready.")
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
