"""Partnership pages (ask, answer, end, name competencies), a partner's assessments, delegation
records, supervision contacts and the manager's view of what each worker may be delegated.
Who may use each: tests/access_entries/delegation.py.

Object pages fetch through the selectors, which also check what the person may do
(``write=``): 404 for what they may not see, 403 with the reason for a change they may not
make; then, for actions, the method (405).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from competencies.evidence.forms import ReturnForm, SignOffForm
from competencies.evidence.selectors import evidence_page, targets_for
from competencies.evidence.services import policy_for
from competencies.evidence.views import return_to_trainee
from competencies.models import Evidence
from core.access import membership_required
from core.audit import history_for
from core.forms import add_service_errors
from core.http import post_only
from programmes import services as programme_services
from programmes.models import Partnership, Role
from programmes.selectors import get_programme_for

from . import selectors, services
from .forms import (
    DelegationForm,
    EndForm,
    PartnershipCompetenciesForm,
    PartnershipProposeForm,
    RegistrationForm,
    SupervisionContactForm,
)
from .models import Delegation, PractitionerRegistration, SupervisionContact

PRACTITIONERS = (Role.MENTOR, Role.MANAGER)
DELEGATION_READERS = (Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.MENTOR, Role.TRAINEE)


# --- Registered practitioners -------------------------------------------------------------------
# A training lead records their own staff's professional registration: only a registered
# practitioner assesses across organisations or delegates a healthcare task.


@require_GET
@membership_required(Role.TRAINING_LEAD)
def registration_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    return render(request, "delegation/registration_list.html", {
        "registrations": list(selectors.registrations_in(membership=membership)),
        "today": timezone.localdate(),
        "can_add": selectors.unregistered_practitioners(membership=membership).exists(),
    })


def _save_registration(request, form, membership, target) -> PractitionerRegistration | None:
    data = form.cleaned_data
    try:
        return services.practitioner_register(
            membership=target, profession=data["profession"], register=data["register"],
            registration_number=data["registration_number"], expires_on=data["expires_on"],
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def registration_create(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    people = list(selectors.unregistered_practitioners(membership=membership))
    form = RegistrationForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["person"]
        if _save_registration(request, form, membership, target) is not None:
            messages.success(request, f"You recorded {target.person_name}\u2019s registration.")
            return redirect("delegation:registrations")
    return render(request, "delegation/registration_form.html", {
        "form": form, "people": people, "registration": None,
    })


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    registration = selectors.get_registration_for(membership=membership, pk=pk)
    initial = {
        "register": registration.register, "registration_number": registration.registration_number,
        "profession": registration.profession, "expires_on": registration.expires_on,
    }
    form = RegistrationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save_registration(request, form, membership, registration.membership) is not None:
            messages.success(
                request, f"You updated {registration.membership.person_name}\u2019s registration."
            )
            return redirect("delegation:registrations")
    return render(request, "delegation/registration_form.html", {
        "form": form, "registration": registration, "audit_entries": history_for(registration),
    })


# --- Partnerships -------------------------------------------------------------------------------


@require_GET
@membership_required(Role.TRAINING_LEAD)
def partnership_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    partnerships = list(selectors.partnerships_of(membership=membership))
    org = membership.organisation_id
    return render(request, "delegation/partnership_list.html", {
        "to_answer": [p for p in partnerships if p.organisation_id == org and p.status == Partnership.Status.PROPOSED],
        "as_partner": [p for p in partnerships if p.organisation_id == org and p.status != Partnership.Status.PROPOSED],
        "as_lead": [p for p in partnerships if p.programme.organisation_id == org],
    })


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def programme_partnerships(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's partnerships and requests, and the form to ask another organisation."""
    membership = request.membership
    programme = get_programme_for(membership=membership, pk=pk, write=True)
    form = PartnershipProposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = programme_services.partnership_propose(
                programme=programme, organisation=form.cleaned_data["organisation"],
                actor=request.user, purpose=form.cleaned_data["purpose"],
                shares_cohorts=form.cleaned_data["shares_cohorts"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{partnership.organisation.name} has been asked. They see nothing of the "
                "programme until their training lead accepts.",
            )
            return redirect("delegation:programme_partnerships", pk=programme.pk)
    return render(request, "delegation/programme_partnerships.html", {
        "programme": programme,
        "partnerships": selectors.partnerships_of_programme(programme=programme),
        "form": form,
    })


@require_GET
@membership_required(Role.TRAINING_LEAD)
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_partnership(request, selectors.get_partnership_for(membership=request.membership, pk=pk))


def _render_partnership(request: HttpRequest, partnership: Partnership, end_form=None) -> HttpResponse:
    """The partnership page; ``end_form``: the one that failed, bound, with its errors."""
    lead_side = selectors.is_lead_side(request.membership, partnership)
    # The asked side answers a request (accept or decline); the asking side may withdraw it.
    may_end = partnership.status == Partnership.Status.ACCEPTED or (
        partnership.status == Partnership.Status.PROPOSED and lead_side
    )
    return render(request, "delegation/partnership_detail.html", {
        "partnership": partnership,
        "lead_side": lead_side,
        "named": selectors.named_competencies(partnership=partnership),
        "can_answer": not lead_side and partnership.status == Partnership.Status.PROPOSED,
        "end_form": (end_form or EndForm()) if may_end else None,
        "failed_form": end_form,
        "audit_entries": history_for(partnership),
    })


def _answer(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    membership = request.membership
    partnership = selectors.get_partnership_for(membership=membership, pk=pk)
    if selectors.is_lead_side(membership, partnership):
        raise PermissionDenied("Only the organisation that was asked can answer.")
    if refused := post_only(request):
        return refused
    try:
        service(partnership=partnership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(programme=partnership.programme.title))
    return redirect("delegation:partnership_detail", pk=partnership.pk)


@membership_required(Role.TRAINING_LEAD)
def partnership_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, programme_services.partnership_accept,
        "You accepted. Your organisation is now a partner on “{programme}”.",
    )


@membership_required(Role.TRAINING_LEAD)
def partnership_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, programme_services.partnership_decline, "You declined “{programme}”.")


@membership_required(Role.TRAINING_LEAD)
def partnership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    partnership = selectors.get_partnership_for(membership=membership, pk=pk)
    if refused := post_only(request):
        return refused
    form = EndForm(request.POST)
    if not form.is_valid():
        return _render_partnership(request, partnership, end_form=form)
    try:
        services.partnership_end(partnership=partnership, membership=membership, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The partnership has ended. The partner no longer sees the programme.")
    return redirect("delegation:partnership_detail", pk=partnership.pk)


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def partnership_competencies(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    partnership = selectors.get_partnership_for(membership=membership, pk=pk, lead_side=True)
    if fixed := selectors.why_competencies_are_fixed(partnership):
        # An ended or declined partnership's list is its record: said, with no form to change it.
        if request.method == "POST":
            raise PermissionDenied(fixed)
        return render(request, "delegation/partnership_competencies.html", {
            "partnership": partnership, "fixed": fixed,
            "named": selectors.named_competencies(partnership=partnership),
        })
    choices = selectors.competency_choices_for(partnership=partnership)
    current = [row.competency_id for row in partnership.assessable_competencies.all()]
    form = PartnershipCompetenciesForm(
        request.POST if request.method == "POST" else None,
        initial={"competencies": current}, choices=choices,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_competencies_set(
                partnership=partnership, competencies=form.cleaned_data["competencies"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The competencies the partner may assess are saved.")
            return redirect("delegation:partnership_detail", pk=partnership.pk)
    return render(request, "delegation/partnership_competencies.html", {
        "partnership": partnership, "form": form, "has_choices": choices.exists(),
    })


# --- A partner's registered practitioner assesses ---------------------------------------------------


@require_GET
@membership_required(*PRACTITIONERS)
def assessment_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    return render(request, "delegation/assessment_list.html", {
        "registration": selectors.registration_of(membership),
        "evidence_list": selectors.partner_evidence_list(membership=membership),
    })


@require_http_methods(["GET", "POST"])
@membership_required(*PRACTITIONERS)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence, with the sign-off and return forms while it waits for a practitioner who
    may assess it; a POST signs it off."""
    membership = request.membership
    posted = request.method == "POST"
    evidence = selectors.get_partner_evidence_for(membership=membership, pk=pk, write=posted)
    if not posted:
        may_assess = selectors.may_partner_assess(membership=membership, evidence=evidence)
        return _render_assessment(request, evidence, evidence_page(evidence), may_assess=may_assess)
    if evidence.status != Evidence.Status.SUBMITTED:
        raise PermissionDenied(
            f"This evidence is {evidence.get_status_display().lower()}: only evidence waiting for "
            "assessment can be signed off."
        )
    page = evidence_page(evidence)
    form = _sign_off_form(evidence, page, request.POST)
    if form.is_valid():
        try:
            services.partner_evidence_sign_off(
                evidence=evidence, membership=membership, levels=form.levels(),
                comment=form.cleaned_data["comment"], expected_version=form.cleaned_data["version"],
                statement_confirmed=bool(form.cleaned_data.get("agree")) if "agree" in form.fields else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You signed off “{evidence.title}” for {evidence.trainee.full_name}.")
            return redirect("delegation:assessment_detail", pk=evidence.pk)
    return _render_assessment(request, evidence, page, may_assess=True, form=form)


def _sign_off_form(evidence: Evidence, page: dict, data=None) -> SignOffForm:
    return SignOffForm(
        data, initial={"version": evidence.version}, claims=page["claims"],
        targets=targets_for(trainee=evidence.trainee),
        statement=policy_for(evidence.trainee.organisation_id).assessor_statement,
    )


def _render_assessment(
    request, evidence, page, *, may_assess: bool, form=None, return_form=None
) -> HttpResponse:
    """The partner's evidence page; the forms not given are offered unbound while the evidence
    waits for a practitioner who may assess it."""
    if may_assess and evidence.status == Evidence.Status.SUBMITTED:
        form = form or _sign_off_form(evidence, page)
        return_form = return_form or ReturnForm(initial={"version": evidence.version})
    return render(request, "delegation/assessment_detail.html", {
        "evidence": evidence, "claims": page["claims"], "form": form, "may_assess": may_assess,
        "return_form": return_form,
    })


@membership_required(*PRACTITIONERS)
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for more: return the evidence to the trainee with a comment (POST), as a mentor does."""
    membership = request.membership
    evidence = selectors.get_partner_evidence_for(membership=membership, pk=pk, write=True)
    return return_to_trainee(
        request, evidence,
        send=partial(services.partner_evidence_return, evidence=evidence, membership=membership),
        done=reverse("delegation:assessment_detail", kwargs={"pk": evidence.pk}),
        page=lambda form: _render_assessment(
            request, evidence, evidence_page(evidence), may_assess=True, return_form=form
        ),
    )


# --- Delegation records -----------------------------------------------------------------------------


@require_GET
@membership_required(*DELEGATION_READERS)
def delegation_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    return render(request, "delegation/delegation_list.html", {
        "delegations": selectors.delegation_list(membership=membership),
        "can_delegate": selectors.registration_of(membership) is not None,
        # Role decisions here, not in the template: which of the related pages this role uses.
        "may_see_partner_assessments": membership.role in (Role.MENTOR, Role.MANAGER),
        "may_see_related": membership.role != Role.TRAINEE,
        "may_see_workers": membership.role in (Role.MANAGER, Role.TRAINING_LEAD, Role.PLANNER),
        "may_see_readiness": membership.role in (Role.MANAGER, Role.TRAINING_LEAD, Role.MENTOR),
    })


@require_http_methods(["GET", "POST"])
@membership_required(*PRACTITIONERS)
def delegation_create(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    if selectors.registration_of(membership) is None:
        raise PermissionDenied("Only a registered practitioner can delegate a healthcare task.")
    tasks = selectors.delegable_for(membership=membership)
    form = DelegationForm(request.POST if request.method == "POST" else None, tasks=tasks)
    in_force, may_see_in_force = None, False
    if request.method == "POST" and form.is_valid():
        task = form.cleaned_data.pop("task")
        try:
            delegation = services.delegation_create(
                membership=membership, trainee=task.trainee, competency=task.competency,
                **form.cleaned_data,
            )
        except ValidationError as error:
            # The service's errors about the worker or task belong beside the one field naming both.
            add_service_errors(form, error, redirect={"competency": "task", "trainee": "task"})
            if in_force := getattr(error, "delegation", None):
                may_see_in_force = selectors.delegations_visible_to(membership=membership).filter(
                    pk=in_force.pk
                ).exists()
        else:
            messages.success(
                request, f"You delegated {task.competency.name} to {task.trainee.full_name}. "
                "They are asked to acknowledge it."
            )
            return redirect("delegation:detail", pk=delegation.pk)
    return render(request, "delegation/delegation_form.html", {
        "form": form, "tasks": tasks, "in_force": in_force, "may_see_in_force": may_see_in_force,
    })


def _render_detail(request: HttpRequest, delegation: Delegation, **forms) -> HttpResponse:
    """The delegation page, with the forms this person may use (a bound one, with its errors,
    given by the view that failed)."""
    membership = request.membership
    if selectors.may_supervise(membership, delegation):
        forms.setdefault("contact_form", SupervisionContactForm())
    if selectors.may_manage_delegation(membership, delegation) and delegation.status != Delegation.Status.ENDED:
        forms.setdefault("end_form", EndForm())
    contacts = list(selectors.contacts_of(delegation))
    audit_entries = None
    if membership.role == Role.TRAINING_LEAD:
        audit_entries = history_for(delegation, related={SupervisionContact: [c.pk for c in contacts]})
    return render(request, "delegation/delegation_detail.html", {
        "delegation": delegation,
        "contacts": contacts,
        "can_acknowledge": selectors.may_acknowledge(membership, delegation),
        "audit_entries": audit_entries,
        "failed_form": next((f for f in forms.values() if f.is_bound and f.errors), None),
        **forms,
    })


@require_GET
@membership_required(*DELEGATION_READERS)
def delegation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.get_delegation_for(membership=request.membership, pk=pk))


@membership_required(*DELEGATION_READERS)
def delegation_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = selectors.get_delegation_for(membership=request.membership, pk=pk, write="acknowledge")
    if refused := post_only(request):
        return refused
    services.delegation_acknowledge(delegation=delegation, actor=request.user)
    messages.success(request, "You acknowledged the delegation. It is now active.")
    return redirect("delegation:detail", pk=delegation.pk)


@membership_required(*DELEGATION_READERS)
def delegation_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    delegation = selectors.get_delegation_for(membership=membership, pk=pk, write="manage")
    if refused := post_only(request):
        return refused
    form = EndForm(request.POST)
    if not form.is_valid():
        # Nothing ends on a reason that cannot be kept: the page again, the error by the field.
        return _render_detail(request, delegation, end_form=form)
    services.delegation_end(delegation=delegation, membership=membership, reason=form.cleaned_data["reason"])
    messages.success(request, "The delegation has ended.")
    return redirect("delegation:detail", pk=delegation.pk)


@membership_required(*DELEGATION_READERS)
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    delegation = selectors.get_delegation_for(membership=membership, pk=pk, write="supervise")
    if refused := post_only(request):
        return refused
    form = SupervisionContactForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_contact_record(delegation=delegation, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Supervision contact recorded.")
            return redirect("delegation:detail", pk=delegation.pk)
    return _render_detail(request, delegation, contact_form=form)


# --- The manager's view ------------------------------------------------------------------------------


@require_GET
@membership_required(Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER)
def worker_list(request: HttpRequest) -> HttpResponse:
    return render(request, "delegation/worker_list.html", {
        "workers": selectors.workers_for(membership=request.membership),
        "own_workers_only": request.membership.role == Role.MANAGER,
    })
