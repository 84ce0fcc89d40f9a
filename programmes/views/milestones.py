"""Adding, changing and deleting a programme's milestones (its lead organisation's leads)."""

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
from ..forms import MilestoneForm
from ..models import Milestone, Role


def _timeline(programme) -> str:
    return reverse("programmes:detail", kwargs={"pk": programme.pk}) + "#milestones"


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for(membership=request.membership, pk=pk, write=True)
    form = MilestoneForm(
        request.POST if request.method == "POST" else None, instance=Milestone(programme=programme)
    )
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_create(programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Milestone “{milestone.title}” added.")
            return redirect(_timeline(programme))
    return render(
        request,
        "programmes/milestone_form.html",
        {"form": form, "programme": programme, "milestone": None},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.get_milestone_for(membership=request.membership, pk=pk, write=True)
    title = milestone.title
    form = MilestoneForm(request.POST if request.method == "POST" else None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_update(milestone=milestone, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Milestone “{milestone.title}” saved.")
            return redirect(_timeline(milestone.programme))
    return render(
        request,
        "programmes/milestone_form.html",
        {"form": form, "programme": milestone.programme, "milestone": milestone, "title": title},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.get_milestone_for(membership=request.membership, pk=pk, write=True)
    programme = milestone.programme
    if request.method == "POST":
        services.milestone_delete(milestone=milestone)
        messages.success(request, f"Milestone “{milestone.title}” deleted.")
        return redirect(_timeline(programme))
    return render(
        request,
        "programmes/milestone_confirm_delete.html",
        {"programme": programme, "milestone": milestone},
    )
