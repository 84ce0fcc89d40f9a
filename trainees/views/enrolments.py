"""An enrolment's page and what is done on it: status changes, the learning contract,
protected study time and progress reviews.

The actions post to their own URLs. On a mistake they draw the enrolment page again with the
form as it was posted (errors next to the fields, the summary at the top); on success they
redirect back with a message.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.audit import history_for
from core.drafts import (
    draft_discard,
    draft_for,
    draft_save,
    fill_from_draft,
    review_draft_key,
    wants_discard,
    wants_draft,
)
from core.forms import add_service_errors
from core.http import post_only
from programmes.models import Role

from .. import selectors, services
from ..forms import (
    ContractForm,
    PlanForm,
    ReviewForm,
    SignForm,
    StudySessionForm,
    TransitionForm,
    constraint_fields,
)
from ..models import (
    ContractSignature,
    Enrolment,
    LearningContract,
    ProgressReview,
    StudySession,
)
from ._common import next_url

ONLY_LEADS = "Only a training lead of the trainee's organisation"


def get_contract(enrolment: Enrolment) -> LearningContract:
    contract = getattr(enrolment, "contract", None)
    if contract is None:
        raise Http404("This enrolment has no learning contract.")
    return contract


def enrolment_url(enrolment: Enrolment, section: str = "") -> str:
    url = reverse("trainees:enrolment_detail", kwargs={"pk": enrolment.pk})
    return f"{url}#{section}" if section else url


def enrolment_context(request, enrolment: Enrolment, **forms) -> dict:
    """Everything the enrolment page (and a trainee's own record) shows. A fixed number of
    queries: transitions, signatures, sessions, reviews, the audit trail, and for a lecturer
    one check that they teach the cohort."""
    membership = request.membership
    today = timezone.localdate()
    Party = LearningContract.Party

    contract = getattr(enrolment, "contract", None)
    signatures = list(contract.signatures.select_related("signed_by")) if contract else []
    signed = {s.party: s for s in signatures}
    parties = [
        {
            "value": value, "label": label, "signature": signed.get(value),
            "expectations": getattr(contract, f"{value}_expectations", "") if contract else "",
        }
        for value, label in Party.choices
    ]
    may_sign = selectors.contract_parties_for(membership, enrolment) if contract else set()
    sign_as = [p for p in parties if p["value"] in may_sign and p["signature"] is None]

    sessions = list(enrolment.study_sessions.select_related("recorded_by"))
    taken = sum((s.hours for s in sessions if s.outcome == StudySession.Outcome.TAKEN), Decimal(0))
    lost = sum((s.hours for s in sessions if s.outcome == StudySession.Outcome.LOST), Decimal(0))
    study = selectors.StudyTime(
        planned=selectors.planned_hours_to_date(enrolment, today), taken=taken, lost=lost
    )
    reviews = list(enrolment.reviews.select_related("recorded_by"))
    enrolment.last_review_on = max((r.held_on for r in reviews), default=None)
    review_due = selectors.next_review_due(enrolment)

    can_manage = selectors.can_manage_enrolment(membership, enrolment)
    can_study = selectors.can_record_study_time(membership, enrolment)
    can_review = selectors.can_record_review(membership, enrolment)
    allowed_next = Enrolment.ALLOWED_TRANSITIONS[enrolment.status]

    if can_manage and allowed_next:
        forms.setdefault("transition_form", TransitionForm(enrolment=enrolment))
    forms.setdefault("transition_form", None)
    forms.setdefault("session_form", StudySessionForm() if can_study else None)
    review_draft = None
    if can_review and "review_form" not in forms:
        review_draft = draft_for(user=request.user, key=review_draft_key(enrolment.pk))
        forms["review_form"] = fill_from_draft(ReviewForm(), review_draft)
    forms.setdefault("review_form", None)
    failed = next((f for f in forms.values() if f is not None and f.is_bound and f.errors), None)

    audit_entries = None
    if can_manage:
        audit_entries = history_for(enrolment, related={
            StudySession: [s.pk for s in sessions],
            ProgressReview: [r.pk for r in reviews],
            ContractSignature: [s.pk for s in signatures],
            LearningContract: [contract.pk] if contract else [],
        })
    return {
        "enrolment": enrolment,
        "trainee": enrolment.trainee,
        "cohort": enrolment.cohort,
        "contract": contract,
        "parties": parties,
        "unsigned": [p for p in parties if p["signature"] is None],
        "sign_as": sign_as,
        "sessions": sessions,
        "study": study,
        "below_plan": enrolment.status == Enrolment.Status.ACTIVE and study.below_plan,
        "warning_percent": int(selectors.STUDY_TIME_WARNING * 100),
        "reviews": reviews,
        "review_due": review_due,
        "review_overdue": review_due is not None and review_due < today,
        "review_draft": review_draft,
        "transitions": list(enrolment.transitions.select_related("actor")),
        "can_manage": can_manage,
        "can_record_study_time": can_study,
        "can_record_review": can_review,
        "failed_form": failed,
        "audit_entries": audit_entries,
        "today": today,
        **forms,
    }


def render_enrolment(request, enrolment: Enrolment, **forms):
    """The enrolment page, or the trainee's own record when that is where the form was."""
    from_record = request.POST.get("next") == reverse("trainees:my_record")
    if request.membership.role == Role.TRAINEE and from_record:
        from .mine import render_my_record

        return render_my_record(request, current=enrolment, **forms)
    context = enrolment_context(request, enrolment, **forms)
    return render(request, "trainees/enrolment_detail.html", context)


@membership_required()
def enrolment_detail(request, pk: int):
    return render_enrolment(request, selectors.get_enrolment_for(membership=request.membership, pk=pk))


# --- Status -------------------------------------------------------------------------------------


@membership_required(Role.TRAINING_LEAD)
def enrolment_transition(request, pk: int):
    enrolment = selectors.get_enrolment_for(membership=request.membership, pk=pk)
    if not selectors.can_manage_enrolment(request.membership, enrolment):
        raise PermissionDenied(f"{ONLY_LEADS} can change the status.")
    if refused := post_only(request):
        return refused
    form = TransitionForm(request.POST, enrolment=enrolment)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.enrolment_transition(
                enrolment=enrolment, to_status=data["to_status"], actor=request.user,
                reason=data["reason"], outcome=data["outcome"],
                outcome_detail=data["outcome_detail"], expected_version=data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            status = changed.get_status_display().lower()
            messages.success(
                request, f"{enrolment.trainee.full_name}'s enrolment is now {status}."
            )
            return redirect(enrolment_url(enrolment, "status"))
    return render_enrolment(request, enrolment, transition_form=form)


# --- The learning contract ----------------------------------------------------------------------


@membership_required()
def contract_sign(request, pk: int):
    enrolment = selectors.get_enrolment_for(membership=request.membership, pk=pk)
    parties = selectors.contract_parties_for(request.membership, enrolment)
    if not parties:
        raise PermissionDenied(
            "Only the trainee, their mentor, their line manager and the cohort's lecturers sign "
            "the learning contract."
        )
    if refused := post_only(request):
        return refused
    contract = get_contract(enrolment)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who you are signing as.")
    elif form.cleaned_data["contract_version"] != contract.version:
        messages.error(
            request,
            "The contract's wording changed after you opened the page. Read it again, then sign.",
        )
    else:
        party = form.cleaned_data["party"]
        try:
            services.contract_sign(
                contract=contract, party=party, user=request.user, allowed_parties=parties
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            label = LearningContract.Party(party).label.lower()
            messages.success(request, f"You signed the learning contract as the {label}.")
    return redirect(next_url(request, enrolment_url(enrolment, "contract")))


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    enrolment = selectors.get_enrolment_for(membership=request.membership, pk=pk)
    if not selectors.can_manage_enrolment(request.membership, enrolment):
        raise PermissionDenied(f"{ONLY_LEADS} can change the contract.")
    contract = get_contract(enrolment)
    signatures = list(contract.signatures.select_related("signed_by"))
    form = ContractForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.contract_update(
                contract=contract, actor=request.user,
                expected_version=form.cleaned_data["version"], **form.expectations(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            if updated.version == contract.version:
                messages.success(request, "The learning contract is unchanged.")
            elif signatures:
                messages.success(
                    request, "The learning contract was changed. The signatures given to the old "
                    "wording were withdrawn: each party needs to sign it again."
                )
            else:
                messages.success(request, "The learning contract was changed.")
            return redirect(enrolment_url(enrolment, "contract"))
    return render(request, "trainees/contract_form.html", {
        "enrolment": enrolment, "form": form, "signatures": signatures,
    })


# --- Study time ---------------------------------------------------------------------------------


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    enrolment = selectors.get_enrolment_for(membership=request.membership, pk=pk)
    if not selectors.can_manage_enrolment(request.membership, enrolment):
        raise PermissionDenied(f"{ONLY_LEADS} can change the plan.")
    form = PlanForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_update_plan(
                enrolment=enrolment, actor=request.user,
                study_hours_per_week=form.cleaned_data["study_hours_per_week"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            messages.success(request, f"{enrolment.trainee.full_name}'s study plan was saved.")
            return redirect(enrolment_url(enrolment, "study-time"))
    return render(request, "trainees/plan_form.html", {"enrolment": enrolment, "form": form})


def _refuse_closed(enrolment: Enrolment, what: str) -> None:
    if not enrolment.is_open:
        status = enrolment.get_status_display().lower()
        raise PermissionDenied(f"This enrolment is {status}: {what} can no longer be recorded.")


@membership_required()
def study_session_create(request, pk: int):
    enrolment = selectors.get_enrolment_for(membership=request.membership, pk=pk)
    if not selectors.can_record_study_time(request.membership, enrolment):
        _refuse_closed(enrolment, "study time")
        raise PermissionDenied(
            "Study time is recorded by the trainee, their line manager or a training lead."
        )
    if refused := post_only(request):
        return refused
    form = StudySessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.study_session_record(
                enrolment=enrolment, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            outcome = session.get_outcome_display().lower()
            messages.success(
                request,
                f"{session.hours} hours of study time {outcome} on {session.date:%-d %B %Y} "
                "were recorded.",
            )
            return redirect(next_url(request, enrolment_url(enrolment, "study-time")))
    return render_enrolment(request, enrolment, session_form=form)


# --- Progress reviews ---------------------------------------------------------------------------



@membership_required()
def review_create(request, pk: int):
    enrolment = selectors.get_enrolment_for(membership=request.membership, pk=pk)
    if not selectors.can_record_review(request.membership, enrolment):
        _refuse_closed(enrolment, "reviews")
        raise PermissionDenied(
            "Progress reviews are recorded by the trainee's line manager, the cohort's lecturers "
            "or a training lead."
        )
    if refused := post_only(request):
        return refused
    key = review_draft_key(enrolment.pk)
    if wants_draft(request):
        draft_save(
            user=request.user, key=key, url=enrolment_url(enrolment, "record-review"),
            title=f"Progress review of {enrolment.trainee.full_name}", data=request.POST,
        )
        messages.success(
            request, "Your draft of the review is saved. It is not recorded yet: nobody else sees it."
        )
        return redirect(enrolment_url(enrolment, "record-review"))
    if wants_discard(request):
        draft_discard(user=request.user, key=key)
        messages.success(request, "Your draft of the review was deleted.")
        return redirect(enrolment_url(enrolment, "reviews"))
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_record(
                enrolment=enrolment, actor=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            draft_discard(user=request.user, key=key)
            messages.success(
                request, f"The progress review of {review.held_on:%-d %B %Y} was recorded."
            )
            return redirect(next_url(request, enrolment_url(enrolment, "reviews")))
    return render_enrolment(request, enrolment, review_form=form)
