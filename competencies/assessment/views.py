"""Self-assessment, the assessor's queue, reassessment, withdrawal and sign-off statements.
Who may use each: tests/access_entries/assessment.py. Thin views: access through the
selectors (404 for what is not visible, 403 for what is visible but not theirs to do), then a
service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role
from trainees.selectors import get_trainee_for

from ..access import competencies_visible_to
from ..assessors import can_assess_trainee
from ..evidence.selectors import attainment_for, own_trainee_record, profile_items_for_trainee
from ..evidence.services import policy_for
from ..models import Evidence, SelfAssessment
from . import selectors, services
from .forms import (
    AssessmentPolicyForm,
    BulkConfirmForm,
    ConfirmForm,
    MoreEvidenceForm,
    ReassessForm,
    SelfAssessmentForm,
    WithdrawForm,
)

# --- The trainee rates themself -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINEE)
def self_assess(request: HttpRequest) -> HttpResponse:
    """The whole role profile in one form (or one competency with ?competency=id)."""
    membership = request.membership
    trainee = own_trainee_record(membership)
    if trainee is None:
        raise Http404("You have no trainee record in this organisation yet: ask your training lead.")
    items, seen = [], set()
    for item in profile_items_for_trainee(trainee):
        if item.competency_id not in seen:
            seen.add(item.competency_id)
            items.append(item)
    only = request.GET.get("competency", "")
    if only:
        items = [i for i in items if str(i.competency_id) == only]
        if not items:
            raise Http404("That competency is not in your role profile.")
    evidence = list(Evidence.objects.filter(trainee=trainee).order_by("-occurred_on", "-pk")[:50])
    form = SelfAssessmentForm(request.POST or None, items=items, evidence=evidence)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {str(pk) for pk in data.get("evidence", [])}
        try:
            created = services.self_assessment_submit(
                trainee=trainee,
                actor=request.user,
                ratings=[
                    services.Rating(competency, data.get(level), data.get(note, ""))
                    for competency, level, note in form.rows
                ],
                evidence=[e for e in evidence if str(e.pk) in chosen],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            who = trainee.mentor.get_full_name() if trainee.mentor else "your assessor"
            messages.success(
                request,
                f"You rated yourself in {len(created)} competenc{'y' if len(created) == 1 else 'ies'}. "
                f"{who} will confirm {'it' if len(created) == 1 else 'them'}.",
            )
            return redirect("evidence:portfolio", trainee_pk=trainee.pk)
    return render(
        request,
        "competencies/assessment/self_assessment_form.html",
        {
            "form": form,
            "trainee": trainee,
            "declaration": policy_for(trainee.organisation_id).trainee_declaration,
            "single": bool(only),
        },
    )


# --- One self-assessment: the assessor confirms, corrects, or asks for evidence ---------------------


@require_http_methods(["GET", "POST"])
@membership_required()
def self_assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    record = selectors.get_self_assessment_for(membership=membership, pk=pk)
    assessor = can_assess_trainee(membership, record.trainee)
    if request.method == "POST" and not assessor:
        raise PermissionDenied("Only the trainee's assessor (their mentor) can confirm a self-assessment.")
    pending = record.status == SelfAssessment.Status.PENDING
    statement = policy_for(record.trainee.organisation_id).assessor_statement
    scale = record.competency.effective_scale()
    action = request.POST.get("action") if request.method == "POST" else None
    confirm_form = more_form = None
    if assessor and pending:
        confirm_form = ConfirmForm(
            request.POST if action == "confirm" else None,
            scale=scale,
            statement=statement,
            initial={"level": str(record.level)},
        )
        more_form = MoreEvidenceForm(request.POST if action == "more_evidence" else None)
    queue = selectors.assessor_queue(membership=membership) if assessor else []
    previous, following = selectors.queue_neighbours(queue, request.path)
    if action == "confirm" and confirm_form is not None and confirm_form.is_valid():
        try:
            decision = services.self_assessment_confirm(
                self_assessment=record,
                assessor=request.user,
                level=confirm_form.cleaned_data["level"],
                comment=confirm_form.cleaned_data["comment"],
                statement=statement,
            )
        except ValidationError as error:
            add_service_errors(confirm_form, error)
        else:
            messages.success(
                request, f"{decision.get_kind_display()}: {record.competency}, {record.trainee.full_name}."
            )
            return redirect(following.url if following else reverse("assessment:queue"))
    elif action == "more_evidence" and more_form is not None and more_form.is_valid():
        try:
            services.self_assessment_ask_for_evidence(
                self_assessment=record,
                assessor=request.user,
                comment=more_form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(more_form, error)
        else:
            messages.success(request, f"You asked {record.trainee.full_name} for more evidence of {record.competency}.")
            return redirect(following.url if following else reverse("assessment:queue"))
    elif request.method == "POST" and not pending:
        messages.error(request, f"This self-assessment is already decided ({record.get_status_display().lower()}).")
    current = attainment_for([record.trainee_id], [record.competency_id]).get((record.trainee_id, record.competency_id))
    return render(
        request,
        "competencies/assessment/self_assessment_detail.html",
        {
            "record": record,
            "trainee": record.trainee,
            "scale": scale,
            "level_name": scale.levels[record.level]["name"] if record.level < len(scale.levels) else "",
            "confirmed_name": scale.levels[record.confirmed_level]["name"]
            if record.confirmed_level is not None and record.confirmed_level < len(scale.levels)
            else "",
            "current": current,
            "current_name": scale.levels[current.level]["name"]
            if current and current.level is not None and current.level < len(scale.levels)
            else "",
            "evidence": list(record.evidence.all()),
            "can_assess": assessor,
            "confirm_form": confirm_form,
            "more_form": more_form,
            "statement": statement,
            "previous": previous,
            "next": following,
            "failed_form": next(
                (f for f in (confirm_form, more_form) if f is not None and f.is_bound and f.errors), None
            ),
        },
    )


# --- The assessor's queue ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@membership_required(Role.MENTOR)
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the assessor, oldest first; several self-assessments confirmed at
    once (POST), each at its own rated level with its own statement and evidence."""
    membership = request.membership
    items = selectors.assessor_queue(membership=membership)
    pending = [i.self_assessment for i in items if i.self_assessment is not None]
    statement = policy_for(membership.organisation_id).assessor_statement
    form = BulkConfirmForm(request.POST or None, pending=pending, statement=statement)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["selected"]}
        try:
            decisions = services.self_assessments_confirm_many(
                self_assessments=[p for p in pending if p.pk in chosen],
                assessor=request.user,
                statement=statement,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"You confirmed {len(decisions)} self-assessment{'s' if len(decisions) != 1 else ''}, "
                "each at the level the trainee chose.",
            )
            return redirect("assessment:queue")
    return render(
        request,
        "competencies/assessment/queue.html",
        {
            "items": items,
            "form": form,
            "pending_count": len(pending),
            "statement": statement,
            "failed_form": form if form.is_bound and form.errors else None,
        },
    )


# --- Reassessment and withdrawal -----------------------------------------------------------------


def _pair(request: HttpRequest, trainee_pk: int, competency_pk: int):
    trainee = get_trainee_for(membership=request.membership, pk=trainee_pk)
    try:
        competency = competencies_visible_to(membership=request.membership).get(pk=competency_pk)
    except (ValueError, competencies_visible_to(membership=request.membership).model.DoesNotExist) as exc:
        raise Http404("No such competency.") from exc
    got = attainment_for([trainee.pk], [competency.pk]).get((trainee.pk, competency.pk))
    return trainee, competency, got


@require_http_methods(["GET", "POST"])
@membership_required()
def reassess(request: HttpRequest, trainee_pk: int, competency_pk: int) -> HttpResponse:
    trainee, competency, got = _pair(request, trainee_pk, competency_pk)
    if not can_assess_trainee(request.membership, trainee):
        raise PermissionDenied("Only the trainee's assessor (their mentor) can reassess them.")
    scale = competency.effective_scale()
    form = ReassessForm(
        request.POST or None, scale=scale, initial={"level": str(got.level) if got and got.level is not None else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.attainment_reassess(
                trainee=trainee,
                competency=competency,
                assessor=request.user,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{decision.get_kind_display()}: {competency} for {trainee.full_name}.")
            return redirect("assessment:queue")
    return render(
        request,
        "competencies/assessment/reassess_form.html",
        {
            "trainee": trainee,
            "competency": competency,
            "current": got,
            "form": form,
            "current_name": scale.levels[got.level]["name"]
            if got and got.level is not None and got.level < len(scale.levels)
            else "",
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.MENTOR, Role.TRAINING_LEAD)
def withdraw(request: HttpRequest, trainee_pk: int, competency_pk: int) -> HttpResponse:
    trainee, competency, got = _pair(request, trainee_pk, competency_pk)
    membership = request.membership
    if not (
        can_assess_trainee(membership, trainee)
        or (membership.role == Role.TRAINING_LEAD and membership.organisation_id == trainee.organisation_id)
    ):
        raise PermissionDenied("Only the trainee's assessor or a training lead can withdraw a sign-off.")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attainment_withdraw(
                trainee=trainee,
                competency=competency,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You withdrew {trainee.full_name}\u2019s sign-off in {competency}.")
            return redirect("evidence:portfolio", trainee_pk=trainee.pk)
    return render(
        request,
        "competencies/assessment/withdraw_form.html",
        {
            "trainee": trainee,
            "competency": competency,
            "current": got,
            "form": form,
        },
    )


# --- Sign-off statements -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def policy(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    current = policy_for(membership.organisation_id)
    form = AssessmentPolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_policy_update(
                organisation=membership.organisation,
                actor=request.user,
                assessor_statement=form.cleaned_data["assessor_statement"],
                trainee_declaration=form.cleaned_data["trainee_declaration"],
                delegated_task_validity_months=form.cleaned_data["delegated_task_validity_months"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Sign-off statements saved. Earlier sign-offs keep the statements as they read then."
            )
            return redirect("assessment:policy")
    return render(request, "competencies/assessment/policy_form.html", {"form": form})
