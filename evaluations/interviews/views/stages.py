"""A cohort's evaluation stages: setting them up, changing them, opening and closing them, and
the programme's own plan of stages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role
from programmes.selectors import get_cohort_for, get_programme_for

from ...models import ProgrammeStage, Stage
from .. import selectors, services
from ..forms import ProgrammeStageFormSet, StageForm
from ..instruments import ensure_ready_made_instruments

ORGANISATION_WIDE = (Role.TRAINING_LEAD, Role.PLANNER)


def _can_change(request: HttpRequest) -> bool:
    return request.membership.role == Role.TRAINING_LEAD


@membership_required(*ORGANISATION_WIDE)
def cohort_stages(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    """The cohort's stages with their windows and counts. Queries: the cohort, the stages with
    their counts, and whether the programme has its own plan."""
    cohort = get_cohort_for(membership=request.membership, pk=cohort_pk, evaluation=True)
    return render(request, "evaluations/interviews/cohort_stages.html", {
        "cohort": cohort,
        "stages": list(selectors.cohort_stages(cohort=cohort)),
        "can_change": _can_change(request),
        "has_plan": ProgrammeStage.objects.filter(programme_id=cohort.programme_id).exists(),
    })


@require_POST
@membership_required(Role.TRAINING_LEAD)
def stages_defaults(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for(membership=request.membership, pk=cohort_pk, write=True, evaluation=True)
    had = cohort.evaluation_stages.exists()
    stages = services.stages_create_defaults(cohort=cohort, actor=request.user)
    if had:
        messages.info(request, "This cohort already has its evaluation stages.")
    else:
        names = ", ".join(s.name for s in stages)
        messages.success(request, f"{len(stages)} evaluation stages set up: {names}.")
    return redirect("interviews:cohort_stages", cohort_pk=cohort.pk)


def _stage_data(form: StageForm) -> dict:
    return {name: form.cleaned_data[name] for name in
            ("name", "opens_on", "due_on", "trainee_instrument", "manager_instrument")}


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def stage_create(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for(membership=request.membership, pk=cohort_pk, write=True, evaluation=True)
    ensure_ready_made_instruments(cohort.programme.organisation)
    form = StageForm(request.POST or None, organisation_id=cohort.programme.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            stage = services.stage_create(cohort=cohort, actor=request.user, **_stage_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Stage “{stage.name}” added. Open it when its interviews fall due.")
            return redirect("interviews:cohort_stages", cohort_pk=cohort.pk)
    return render(request, "evaluations/interviews/stage_form.html", {
        "cohort": cohort, "form": form, "stage": None,
    })


@membership_required(*ORGANISATION_WIDE)
def stage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stage = selectors.get_stage_for(membership=request.membership, pk=pk)
    interviews = list(selectors.stage_interviews(stage=stage))
    return render(request, "evaluations/interviews/stage_detail.html", {
        "stage": stage,
        "cohort": stage.cohort,
        "trainee_interviews": [i for i in interviews if i.subject == "trainee"],
        "manager_interviews": [i for i in interviews if i.subject == "manager"],
        "can_change": _can_change(request),
    })


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = selectors.get_stage_for(membership=request.membership, pk=pk, write=True)
    initial = {
        "name": stage.name, "opens_on": stage.opens_on, "due_on": stage.due_on,
        "trainee_instrument": stage.trainee_instrument, "manager_instrument": stage.manager_instrument,
    }
    form = StageForm(
        request.POST or None, initial=initial,
        organisation_id=stage.cohort.programme.organisation_id,
        instruments_locked=stage.status != Stage.Status.PLANNED,
    )
    if request.method == "POST" and form.is_valid():
        try:
            stage = services.stage_update(stage=stage, actor=request.user, **_stage_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Stage “{stage.name}” saved.")
            return redirect("interviews:stage_detail", pk=stage.pk)
    return render(request, "evaluations/interviews/stage_form.html", {
        "cohort": stage.cohort, "form": form, "stage": stage,
    })


@require_POST
@membership_required(Role.TRAINING_LEAD)
def stage_open(request: HttpRequest, pk: int) -> HttpResponse:
    stage = selectors.get_stage_for(membership=request.membership, pk=pk, write=True)
    try:
        created = services.stage_open(stage=stage, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interviews:cohort_stages", cohort_pk=stage.cohort_id)
    messages.success(request, (
        f"Stage “{stage.name}” is open: {len(created)} interview{'s' if len(created) != 1 else ''} "
        "now due." if created else f"Stage “{stage.name}” is open. No new interviews fell due."
    ))
    return redirect("interviews:stage_detail", pk=stage.pk)


@require_POST
@membership_required(Role.TRAINING_LEAD)
def stage_close(request: HttpRequest, pk: int) -> HttpResponse:
    stage = selectors.get_stage_for(membership=request.membership, pk=pk, write=True)
    try:
        services.stage_close(stage=stage, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, (
            f"Stage “{stage.name}” is closed. No more reminders are sent; interviews not yet "
            "done can still be recorded."
        ))
    return redirect("interviews:stage_detail", pk=stage.pk)


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def programme_plan(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = get_programme_for(membership=request.membership, pk=programme_pk, write=True, evaluation=True)
    ensure_ready_made_instruments(programme.organisation)
    rows = list(ProgrammeStage.objects.filter(programme=programme).order_by("order", "pk"))
    initial = [
        {"name": r.name, "weeks_after_start": r.weeks_after_start, "window_weeks": r.window_weeks,
         "trainee_instrument_family": r.trainee_instrument_family,
         "manager_instrument_family": r.manager_instrument_family}
        for r in rows
    ]
    formset = ProgrammeStageFormSet(
        request.POST or None, initial=initial, prefix="stages",
        form_kwargs={"organisation_id": programme.organisation_id},
    )
    if request.method == "POST" and formset.is_valid():
        try:
            saved = services.programme_stage_plan_save(
                programme=programme, actor=request.user, stages=formset.stages()
            )
        except ValidationError as error:
            add_service_errors(formset, error)
        else:
            messages.success(request, (
                f"Evaluation plan saved with {len(saved)} stage{'s' if len(saved) != 1 else ''}. "
                "New cohorts' stages are set up from it." if saved else
                "The programme has no plan of its own now: new cohorts get the default stages."
            ))
            return redirect("interviews:programme_plan", programme_pk=programme.pk)
    return render(request, "evaluations/interviews/programme_plan.html", {
        "programme": programme, "formset": formset, "has_rows": bool(rows),
    })
