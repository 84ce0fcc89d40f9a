"""Trainees: the list, a trainee's page, and adding or changing a record (training leads)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.audit import history_for
from core.forms import add_service_errors
from core.pagination import paginate
from programmes.models import Role

from .. import selectors, services
from ..filters import TraineeFilter
from ..forms import TraineeForm, constraint_fields
from . import _common

# A trainee has their own record page ("Your record") instead of a list of one.
LIST_ROLES = (Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.MENTOR, Role.LECTURER)


@membership_required(*LIST_ROLES)
def trainee_list(request):
    """Queries: the ward choices, the count and the page, whatever the number of trainees."""
    membership = request.membership
    trainees = selectors.trainees_visible_to(membership=membership).select_related(
        "clinical_area", "line_manager"
    )
    filterset = TraineeFilter(
        request.GET or None, queryset=trainees, wards=selectors.clinical_areas_of(trainees)
    )
    return render(request, "trainees/trainee_list.html", {
        "filter": filterset,
        "page_obj": paginate(request, filterset.qs, _common.PAGE_SIZE),
        "can_add": membership.role == Role.TRAINING_LEAD,
        "filtered": any(request.GET.get(name) for name in ("q", "ward", "band")),
    })


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET", "POST"])
def trainee_create(request):
    organisation = request.membership.organisation
    form = TraineeForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("fingerprint")  # only an edit compares it
        try:
            trainee = services.trainee_create(
                organisation=organisation, actor=request.user, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            messages.success(request, f"{trainee.full_name} was added.")
            return redirect("trainees:detail", pk=trainee.pk)
    return render(request, "trainees/trainee_form.html", {"form": form, "trainee": None})


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET", "POST"])
def trainee_edit(request, pk: int):
    trainee = selectors.get_trainee_for(membership=request.membership, pk=pk, write=True)
    name = trainee.full_name  # the service changes the instance before it validates
    initial = {field: getattr(trainee, field) for field in services.TRAINEE_FIELDS}
    initial["fingerprint"] = services.trainee_fingerprint(trainee)
    form = TraineeForm(
        request.POST or None, initial=initial, organisation=trainee.organisation, trainee=trainee
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        # A post without a fingerprint did not come from the current page: refuse it as stale
        # rather than save over a record its sender may not have seen.
        expected = fields.pop("fingerprint") or "missing"
        try:
            services.trainee_update(
                trainee=trainee, actor=request.user, expected_fingerprint=expected, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            messages.success(request, f"{trainee.full_name}'s record was saved.")
            return redirect("trainees:detail", pk=trainee.pk)
    return render(request, "trainees/trainee_form.html", {
        "form": form, "trainee": trainee, "trainee_name": name,
    })


@membership_required()
def trainee_detail(request, pk: int):
    membership = request.membership
    trainee = selectors.get_trainee_for(membership=membership, pk=pk)
    today = timezone.localdate()
    enrolments = selectors.with_progress_figures(
        selectors.enrolments_visible_to(membership=membership).filter(trainee=trainee)
    ).order_by("-enrolled_on")
    can_change = selectors.can_change_trainee(membership, trainee)
    return render(request, "trainees/trainee_detail.html", {
        "trainee": trainee,
        "rows": [selectors.progress_of(e, today) for e in enrolments],
        "party_count": selectors.PARTY_COUNT,
        "warning_percent": int(selectors.STUDY_TIME_WARNING * 100),
        "can_change": can_change,
        "audit_entries": history_for(trainee) if can_change else None,
    })
