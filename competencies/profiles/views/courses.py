"""Existing education the organisation runs or buys: read by all its people, kept by its
training leads. Gap analysis counts what these cover as reuse."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role

from ...access import competencies_visible_to
from .. import selectors, services
from ..forms import CourseForm


def _choosable(membership):
    return competencies_visible_to(membership=membership).order_by(
        "framework__organisation_id",
        "framework__short_name",
        "framework__version",
        "framework_id",
        "sort_order",
        "pk",
    )


@require_GET
@membership_required()
def course_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    return render(
        request,
        "competencies/profiles/course_list.html",
        {
            "courses": selectors.courses_visible_to(membership=membership),
            "can_edit": selectors.is_training_lead(membership),
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def course_create(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = CourseForm(
        request.POST if request.method == "POST" else None, competencies=_choosable(membership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                organisation=membership.organisation, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Course “{course.name}” added.")
            return redirect("profiles:courses")
    return render(request, "competencies/profiles/course_form.html", {"form": form, "course": None})


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    course = selectors.get_course_for(membership=membership, pk=pk, write=True)
    name = course.name
    form = CourseForm(
        request.POST if request.method == "POST" else None,
        competencies=_choosable(membership),
        course=course,
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_update(
                course=course, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Course “{course.name}” saved.")
            return redirect("profiles:courses")
    return render(
        request,
        "competencies/profiles/course_form.html",
        {"form": form, "course": course, "name": name},
    )
