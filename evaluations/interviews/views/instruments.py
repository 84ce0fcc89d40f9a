"""The organisation's interview instruments: list, one version, and changing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role

from .. import selectors, services
from ..forms import InstrumentForm, QuestionFormSet, question_initial
from ..instruments import ensure_ready_made_instruments


@membership_required(Role.TRAINING_LEAD, Role.PLANNER)
def instrument_list(request: HttpRequest) -> HttpResponse:
    """Two queries once the ready-made instruments exist: the check and the list."""
    ensure_ready_made_instruments(request.membership.organisation)
    instruments = list(selectors.current_instruments(membership=request.membership))
    return render(request, "evaluations/interviews/instrument_list.html", {
        "instruments": instruments,
        "can_edit": request.membership.role == Role.TRAINING_LEAD,
    })


@membership_required(Role.TRAINING_LEAD, Role.PLANNER)
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.get_instrument_for(membership=request.membership, pk=pk)
    return render(request, "evaluations/interviews/instrument_detail.html", {
        "instrument": instrument,
        "questions": list(instrument.questions.order_by("order", "pk")),
        "versions": list(selectors.instrument_versions(instrument)),
        "can_edit": request.membership.role == Role.TRAINING_LEAD and instrument.is_current,
    })


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.get_instrument_for(membership=request.membership, pk=pk, write=True)
    if not instrument.is_current:
        current = selectors.current_version_of(instrument)
        messages.info(
            request, f"Version {instrument.version} is kept as it was; this is the current version."
        )
        return redirect("interviews:instrument_edit", pk=current.pk)
    questions = list(instrument.questions.order_by("order", "pk"))
    data = request.POST if request.method == "POST" else None
    form = InstrumentForm(data, initial={"name": instrument.name, "description": instrument.description})
    formset = QuestionFormSet(data, initial=question_initial(questions), prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.instrument_update(
                instrument=instrument, actor=request.user, name=form.cleaned_data["name"],
                description=form.cleaned_data["description"], questions=formset.questions(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                add_service_errors(formset, error)
        else:
            if saved.pk != instrument.pk:
                messages.success(request, (
                    f"Saved as version {saved.version}. Interviews already answered keep "
                    f"version {instrument.version}, with the questions as they were asked."
                ))
            else:
                messages.success(request, f"“{saved.name}” saved.")
            return redirect("interviews:instrument_detail", pk=saved.pk)
    return render(request, "evaluations/interviews/instrument_form.html", {
        "instrument": instrument, "form": form, "formset": formset,
        "has_answers": instrument.interviews.filter(answers__isnull=False).exists(),
    })
