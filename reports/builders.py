"""What each kind of report job produces. A builder takes the job and a progress callback and
returns (content bytes, file name, page count or None)."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.text import slugify

from . import case_study
from .models import ReportJob
from .pdf import render_pdf

Progress = Callable[[int, str], None]


def build_case_study(job: ReportJob, progress: Progress) -> tuple[bytes, str, int]:
    study = case_study.gather(job.programme, progress=progress)
    progress(70, "Laying out the pages")
    html = render_to_string("reports/case_study.html", {"study": study, "for_pdf": True})
    progress(80, "Rendering the PDF")
    pdf, pages = render_pdf(html)
    name = f"case-study-{slugify(job.programme.title)[:60]}-{study.generated_on:%Y-%m-%d}.pdf"
    return pdf, name, pages


BUILDERS: dict[str, Callable[[ReportJob, Progress], tuple[bytes, str, int | None]]] = {
    ReportJob.Kind.CASE_STUDY: build_case_study,
}
