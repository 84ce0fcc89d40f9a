"""What each kind of report job produces. A builder takes the job and a progress callback and
returns (content bytes, file name, page count or None)."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.text import slugify

from programmes.models import Membership

from . import case_study
from .models import ReportJob
from .pdf import render_pdf

Progress = Callable[[int, str], None]


def requester_membership(job: ReportJob) -> Membership:
    """The report shows what the person who asked for it may see, in the organisation they
    asked from."""
    return (
        Membership.objects.select_related("organisation", "user")
        .filter(user_id=job.requested_by_id, organisation_id=job.organisation_id, is_active=True)
        .order_by("role").first()
    )


def build_case_study(job: ReportJob, progress: Progress) -> tuple[bytes, str, int]:
    study = case_study.gather(job.programme, membership=requester_membership(job), progress=progress)
    progress(70, "Laying out the pages")
    html = render_to_string("reports/case_study.html", {"study": study, "for_pdf": True})
    progress(80, "Rendering the PDF")
    pdf, pages = render_pdf(html)
    name = f"case-study-{slugify(job.programme.title)[:60]}-{study.generated_on:%Y-%m-%d}.pdf"
    return pdf, name, pages


BUILDERS: dict[str, Callable[[ReportJob, Progress], tuple[bytes, str, int | None]]] = {
    ReportJob.Kind.CASE_STUDY: build_case_study,
}
