"""The programme list, the programme page, its code of practice, and creating or changing one."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.access import membership_required
from core.audit import history_for
from core.forms import add_service_errors
from core.pagination import paginate

from .. import selectors, services
from ..filters import ProgrammeFilter
from ..forms import ProgrammeForm
from ..models import Cohort, Milestone, Organisation, Programme, Role
from ._common import PAGE_SIZE


@require_GET
@membership_required(*selectors.VIEWER_ROLES)
def programme_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    programmes = selectors.programme_list(membership=membership).order_by("title", "pk")
    filterset = ProgrammeFilter(request.GET, queryset=programmes)
    # An unknown status is shown as an error on the filter and otherwise ignored.
    page = paginate(request, filterset.qs, PAGE_SIZE)
    return render(
        request,
        "programmes/programme_list.html",
        {
            "filter": filterset,
            "page": page,
            "filtered": any(request.GET.get(name) for name in ("q", "status")),
            "can_create": membership.role == Role.TRAINING_LEAD,
        },
    )


@require_GET
@membership_required(*selectors.VIEWER_ROLES)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    programme = selectors.programme_page(membership=membership, pk=pk)
    cohorts = list(selectors.cohorts_of_programme(membership=membership, programme=programme))
    milestones = selectors.milestones_with_lateness(programme=programme, today=timezone.localdate())
    can_edit = selectors.can_change_programme(membership, programme)
    is_partner = programme.organisation_id != membership.organisation_id
    context = {
        "programme": programme,
        "milestones": milestones,
        "late_count": sum(late for _, late in milestones),  # only unfinished ones count
        "cohorts": cohorts,
        "can_edit": can_edit,
        "is_partner": is_partner,
        # Role decisions are made here, not in the template.
        "teaches_only": membership.role == Role.LECTURER,  # lecturers see the cohorts they teach
        "may_see_gap_analysis": membership.role != Role.TRAINEE,
        "may_evaluate": not is_partner and membership.role in (Role.TRAINING_LEAD, Role.PLANNER),
        "may_write_case_study": membership.role == Role.TRAINING_LEAD,
        "code_of_practice_name": os.path.basename(programme.code_of_practice.name or ""),
    }
    if can_edit:
        # The trail is for the people who change the programme: its lead organisation's leads.
        context["audit_entries"] = history_for(
            programme,
            related={
                Milestone: [milestone.pk for milestone, _ in milestones],
                Cohort: [cohort.pk for cohort in cohorts],
            },
        )
    return render(request, "programmes/programme_detail.html", context)


@require_GET
@membership_required(*selectors.VIEWER_ROLES)
def code_of_practice(request: HttpRequest, pk: int) -> FileResponse:
    """The code of practice, to whoever may see the programme. Uploaded files are never served
    from MEDIA_URL: this view is the only way to them."""
    programme = selectors.get_programme_for(membership=request.membership, pk=pk)
    document = programme.code_of_practice
    if not document:
        raise Http404("This programme has no code of practice.")
    try:
        handle = document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The code of practice file is missing.") from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(document.name))


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def programme_create(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisation=organisation,
        instance=Programme(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = _save(form, organisation=organisation)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Programme “{programme.title}” created.")
            return redirect("programmes:detail", pk=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": None})


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for(membership=request.membership, pk=pk, write=True)
    title = programme.title  # the form works on the instance; the heading keeps the saved title
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisation=programme.organisation,
        instance=programme,
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = _save(form, organisation=programme.organisation, programme=programme)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Programme “{programme.title}” saved.")
            return redirect("programmes:detail", pk=programme.pk)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "programme": programme, "title": title},
    )


def _save(
    form: ProgrammeForm, *, organisation: Organisation, programme: Programme | None = None
) -> Programme:
    fields = form.service_fields()
    # New wards and the programme stand or fall together.
    with transaction.atomic():
        fields["clinical_areas"] += services.clinical_areas_ensure(
            organisation=organisation, names=form.cleaned_data["new_clinical_areas"]
        )
        if programme is None:
            return services.programme_create(organisation=organisation, **fields)
        return services.programme_update(programme=programme, **fields)
