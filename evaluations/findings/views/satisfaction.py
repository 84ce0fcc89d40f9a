"""Service-user satisfaction results per ward and period: the trend, hand entry and CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role
from programmes.selectors import can_change_programme, get_programme_for

from .. import satisfaction_csv, selectors, services
from ..forms import SatisfactionForm, SatisfactionImportForm


def _page(programme) -> str:
    return reverse("findings:satisfaction", kwargs={"programme_pk": programme.pk})


@require_http_methods(["GET", "POST"])
@membership_required(*selectors.FINDINGS_READERS)
def satisfaction(request: HttpRequest, programme_pk: int) -> HttpResponse:
    membership = request.membership
    programme = get_programme_for(membership=membership, pk=programme_pk, evaluation=True)
    can_edit = can_change_programme(membership, programme)
    wards = programme.clinical_areas.order_by("name")
    form = None
    if can_edit:
        form = SatisfactionForm(request.POST if request.method == "POST" else None, wards=wards)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only the lead organisation's training leads can add results.")
        if form.is_valid():
            try:
                result = services.satisfaction_record(programme=programme, item=form.item(), actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Result for {result.clinical_area.name} added.")
                return redirect(_page(programme))
    summary = selectors.satisfaction_summary(programme=programme)
    return render(request, "evaluations/findings/satisfaction.html", {
        "programme": programme, "summary": summary, "chart": summary.chart() if summary.rows else "",
        "form": form, "can_edit": can_edit,
    })


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def satisfaction_import(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """All or nothing: every problem is listed with its line and nothing is saved, or every row
    is."""
    programme = get_programme_for(membership=request.membership, pk=programme_pk, write=True, evaluation=True)
    posted = request.method == "POST"
    form = SatisfactionImportForm(request.POST if posted else None, request.FILES if posted else None)
    problems = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(satisfaction_csv.MAX_BYTES + 1)
        parsed = satisfaction_csv.parse_results(data, wards=list(programme.clinical_areas.all()))
        if parsed.file_problem:
            form.add_error("file", [p.message for p in parsed.problems])
        else:
            try:
                saved = services.satisfaction_import(
                    programme=programme, rows=parsed.rows, problems=parsed.problems, actor=request.user,
                )
            except services.ImportRefused as refused:
                problems = refused.problems
                rows = len({p.line for p in problems})
                form.add_error(
                    "file",
                    f"Nothing was imported: {rows} row{'s have' if rows != 1 else ' has'} problems. "
                    "Correct them (listed below) and upload the file again.",
                )
            else:
                messages.success(request, f"Imported {len(saved)} result{'s' if len(saved) != 1 else ''}.")
                return redirect(_page(programme))
    return render(request, "evaluations/findings/satisfaction_import.html", {
        "programme": programme, "form": form, "problems": problems,
        "columns": satisfaction_csv.COLUMNS, "example": satisfaction_csv.example_csv(),
        "wards": programme.clinical_areas.order_by("name"),
    })
