"""A competency's mappings (the crosswalk), on both sides; training leads add and remove their
organisation's, one at a time or from a CSV file."""

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
from programmes.selectors import programmes_visible_to

from .. import selectors, services
from ..forms import FrameworkPickForm, MappingForm, MappingImportForm
from ..mapping_csv import COLUMNS, HEADER_EXAMPLE, MAX_ROWS


def _mappings_url(competency) -> str:
    return reverse("profiles:mappings", kwargs={"pk": competency.pk})


def _back_programme(request: HttpRequest):
    """The programme whose role profile the person came from (?programme=<pk>), for the back
    link; None unless they may see it."""
    pk = request.GET.get("programme", "")
    if not pk.isdigit():
        return None
    return programmes_visible_to(membership=request.membership).filter(pk=pk).first()


@require_http_methods(["GET", "POST"])
@membership_required()
def mappings(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who sees the competency reads its mappings; training leads add one by choosing
    a framework (GET ?framework=<pk>) and then its competency."""
    membership = request.membership
    competency = selectors.get_competency_for(membership=membership, pk=pk)
    can_add = selectors.is_training_lead(membership)
    if request.method == "POST" and not can_add:
        raise PermissionDenied("Only training leads map competencies.")
    back = _back_programme(request)
    context = {
        "back_programme": back,
        "competency": competency,
        "sides": selectors.mappings_for(competency, membership),
        "can_add": can_add,
        "pick": None,
        "form": None,
        "framework": None,
    }
    if can_add:
        pick = FrameworkPickForm(
            # A POST without a framework binds it too, so it says "Choose a framework".
            request.GET if "framework" in request.GET or request.method == "POST" else None,
            frameworks=selectors.mapping_target_frameworks(
                membership=membership, competency=competency
            ),
            label="Which framework is the competency it maps to in?",
        )
        framework = pick.cleaned_data["framework"] if pick.is_bound and pick.is_valid() else None
        context.update(pick=pick, framework=framework)
        if framework is not None:
            form = MappingForm(
                request.POST if request.method == "POST" else None,
                framework=framework,
                competencies=selectors.framework_competencies(framework=framework),
            )
            context["form"] = form
            if request.method == "POST" and form.is_valid():
                try:
                    mapping = services.mapping_create(
                        organisation=membership.organisation,
                        source=competency,
                        target=form.cleaned_data["target"],
                        strength=form.cleaned_data["strength"],
                        note=form.cleaned_data["note"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request, f"{competency} mapped to {mapping.target} ({framework})."
                    )
                    url = _mappings_url(competency)
                    return redirect(f"{url}?programme={back.pk}" if back else url)
    return render(request, "competencies/profiles/mappings.html", context)


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def mapping_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    mapping = selectors.get_mapping_for(membership=membership, pk=pk, write=True)
    # Back to the side the person came from, when it is one of the mapping's two.
    back = mapping.source
    if request.GET.get("from") == str(mapping.target_id):
        back = mapping.target
    if request.method == "POST":
        try:
            services.mapping_delete(mapping=mapping, actor=request.user)
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        messages.success(
            request, f"The mapping of {mapping.source} to {mapping.target} was removed."
        )
        return redirect(_mappings_url(back))
    return render(
        request,
        "competencies/profiles/mapping_confirm_remove.html",
        {"mapping": mapping, "back": back},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def mapping_import(request: HttpRequest) -> HttpResponse:
    """Upload a crosswalk as CSV: every row is imported, or none and every problem is listed."""
    form = MappingImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.mappings_import_csv(
                data=form.cleaned_data["file"],
                organisation=request.membership.organisation,
                actor=request.user,
            )
        except services.MappingImportError as error:
            problems = error.problems
            count = len(problems)
            form.add_error(
                "file",
                f"The file has {count} {'problem' if count == 1 else 'problems'}, listed below. "
                "Nothing was imported: fix the file and upload it again",
            )
        else:
            count = len(created)
            messages.success(
                request, f"{count} {'mapping' if count == 1 else 'mappings'} imported."
            )
            return redirect("profiles:mapping_import")
    return render(
        request,
        "competencies/profiles/mapping_import.html",
        {
            "form": form,
            "problems": problems,
            "columns": COLUMNS,
            "header_example": HEADER_EXAMPLE,
            "max_rows": MAX_ROWS,
        },
    )
