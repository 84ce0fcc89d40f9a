"""What each kind of report produces. One function per kind takes its subject, the membership
it is produced for (what that person may see is what it shows) and a progress callback, and
returns an Output; the Celery task (through BUILDERS, which read a job) and the render_report
command (directly) call the same functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from programmes.models import Cohort, Membership, Programme
from programmes.selectors import get_cohort_for
from trainees.models import Trainee
from trainees.selectors import trainees_visible_to

from .documents import case_study, cohort_progress, portfolio, word
from .exports import EXPORT_FORMATS, build_export
from .models import ReportJob
from .pdf import render_pdf

Progress = Callable[[int, str], None]


def no_progress(percent: int, stage: str) -> None:
    """For callers with nobody watching (the command, tests)."""


@dataclass(frozen=True)
class Output:
    content: bytes
    file_name: str
    page_count: int | None

    def as_tuple(self) -> tuple[bytes, str, int | None]:
        return self.content, self.file_name, self.page_count


class CannotProduce(Exception):
    """A report that cannot be produced, with a reason its reader can act on."""


def _who(membership: Membership) -> str:
    return f"{membership.user.get_full_name() or membership.user.username} ({membership.get_role_display().lower()})"


def _pdf(template: str, context: dict, progress: Progress, *, tagged: bool = False) -> tuple[bytes, int]:
    progress(70, "Laying out the pages")
    html = render_to_string(template, {"for_pdf": True, **context})
    progress(80, "Rendering the PDF")
    return render_pdf(html, tagged=tagged)


def case_study_output(programme: Programme, *, membership: Membership, progress: Progress = no_progress) -> Output:
    study = case_study.gather(programme, membership=membership, progress=progress)
    pdf, pages = _pdf("reports/case_study.html", {"study": study}, progress, tagged=True)
    return Output(pdf, f"case-study-{slugify(programme.title)[:60]}-{study.generated_on:%Y-%m-%d}.pdf", pages)


def case_study_word_output(programme: Programme, *, membership: Membership,
                           progress: Progress = no_progress) -> Output:
    """The case study as an editable Word file: the same HTML as the PDF (so the same sections
    in the same order, the same figures and words), written as Word's own headings, lists
    and tables, with the charts as images."""
    study = case_study.gather(programme, membership=membership, progress=progress)
    progress(70, "Laying out the document")
    html = render_to_string("reports/case_study.html", {"for_pdf": True, "for_word": True, "study": study})
    progress(80, "Writing the Word file")
    narrative = study.narrative
    content = word.html_to_docx(
        html, title=f"{programme.title}: case study",
        author=narrative.authors or programme.organisation.name,
        subject=narrative.subtitle or "A case study of developing a new healthcare support worker role",
    )
    return Output(content, f"case-study-{slugify(programme.title)[:60]}-{study.generated_on:%Y-%m-%d}.docx", None)


# What a case study can be produced as: the format a job's options name (PDF when none).
CASE_STUDY_FORMATS: dict[str, Callable[..., Output]] = {"pdf": case_study_output, "docx": case_study_word_output}


def cohort_progress_output(cohort: Cohort, *, membership: Membership, progress: Progress = no_progress) -> Output:
    progress(20, "Building the progress matrix")
    report = cohort_progress.gather(cohort, membership=membership)
    pdf, pages = _pdf("reports/cohort_progress.html", {
        "report": report, "generated_on": report.generated_on, "produced_for": _who(membership),
    }, progress)
    name = (f"cohort-progress-{slugify(cohort.programme.title)[:40]}-{slugify(cohort.name)[:30]}"
            f"-{report.generated_on:%Y-%m-%d}.pdf")
    return Output(pdf, name, pages)


def portfolio_output(trainee: Trainee, *, membership: Membership, progress: Progress = no_progress) -> Output:
    progress(20, "Gathering the signed-off evidence")
    report = portfolio.gather(trainee, membership=membership)
    pdf, pages = _pdf("reports/portfolio.html", {
        "report": report, "generated_on": report.generated_on, "produced_for": _who(membership),
    }, progress)
    return Output(pdf, f"portfolio-{slugify(trainee.full_name)[:60]}-{report.generated_on:%Y-%m-%d}.pdf", pages)


def export_output(*, file_format: str, datasets: list[str], membership: Membership,
                  progress: Progress = no_progress) -> Output:
    progress(20, "Gathering the figures")
    content, extension = build_export(membership=membership, datasets=datasets, file_format=file_format)
    progress(90, "Writing the file")
    stamp = timezone.localdate()
    label = datasets[0] if len(datasets) == 1 else "data"
    return Output(
        content, f"ladder-{slugify(membership.organisation.name)[:40]}-{label}-{stamp:%Y-%m-%d}.{extension}", None
    )


# --- From a job ---------------------------------------------------------------------------------


def requester_membership(job: ReportJob) -> Membership:
    """The membership the report was asked for through (what that person may see is what it
    shows), or their first active one in the job's organisation."""
    memberships = Membership.objects.select_related("organisation", "user").filter(
        user_id=job.requested_by_id, organisation_id=job.organisation_id, is_active=True,
    )
    chosen = job.options.get("membership_id")
    membership = (memberships.filter(pk=chosen).first() if chosen else None) or memberships.order_by("role").first()
    if membership is None:
        raise CannotProduce("The person who asked for this report no longer has a role in the organisation.")
    return membership


def _cohort_of(job: ReportJob, membership: Membership) -> Cohort:
    try:
        return get_cohort_for(membership=membership, pk=job.cohort_id)
    except Http404 as exc:
        raise CannotProduce("The cohort is no longer visible to the person who asked for this report.") from exc


def _trainee_of(job: ReportJob, membership: Membership) -> Trainee:
    trainee = (
        trainees_visible_to(membership=membership)
        .select_related("organisation", "clinical_area", "line_manager", "mentor")
        .filter(pk=job.trainee_id).first()
    )
    if trainee is None:
        raise CannotProduce("The trainee's record is no longer visible to the person who asked for this report.")
    return trainee


def _build_case_study(job, progress):
    output = CASE_STUDY_FORMATS.get(job.options.get("format") or "pdf")
    if output is None:
        raise CannotProduce(f"Ladder cannot produce a case study as '{job.options.get('format')}'.")
    return output(job.programme, membership=requester_membership(job), progress=progress).as_tuple()


def _build_cohort_progress(job, progress):
    membership = requester_membership(job)
    return cohort_progress_output(_cohort_of(job, membership), membership=membership, progress=progress).as_tuple()


def _build_portfolio(job, progress):
    membership = requester_membership(job)
    return portfolio_output(_trainee_of(job, membership), membership=membership, progress=progress).as_tuple()


def _build_export(job, progress):
    return export_output(
        file_format=EXPORT_FORMATS[job.kind], datasets=list(job.options.get("datasets") or []),
        membership=requester_membership(job), progress=progress,
    ).as_tuple()


BUILDERS: dict[str, Callable[[ReportJob, Progress], tuple[bytes, str, int | None]]] = {
    ReportJob.Kind.CASE_STUDY: _build_case_study,
    ReportJob.Kind.COHORT_PROGRESS: _build_cohort_progress,
    ReportJob.Kind.TRAINEE_PORTFOLIO: _build_portfolio,
    ReportJob.Kind.EXPORT_CSV: _build_export,
    ReportJob.Kind.EXPORT_XLSX: _build_export,
}
