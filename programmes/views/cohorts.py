"""Opening and changing a programme's cohorts (its lead organisation's leads). The cohort page
itself, with its trainees, belongs to the trainees app."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors

from .. import selectors, services
from ..forms import CohortForm
from ..models import Cohort, Role


def _cohorts(programme) -> str:
    return reverse("programmes:detail", kwargs={"pk": programme.pk}) + "#cohorts"


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def cohort_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for(membership=request.membership, pk=pk, write=True)
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        instance=Cohort(programme=programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(programme=programme, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Cohort “{cohort.name}” opened.")
            return redirect(_cohorts(programme))
    return render(
        request,
        "programmes/cohort_form.html",
        {"form": form, "programme": programme, "cohort": None},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.get_cohort_for(membership=request.membership, pk=pk, write=True)
    name = cohort.name
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        programme=cohort.programme,
        instance=cohort,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_update(cohort=cohort, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Cohort “{cohort.name}” saved.")
            return redirect(_cohorts(cohort.programme))
    return render(
        request,
        "programmes/cohort_form.html",
        {"form": form, "programme": cohort.programme, "cohort": cohort, "name": name},
    )
