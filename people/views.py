"""Inviting people, accepting an invitation, and a lead managing people's roles.

Who may use each page: tests/access_entries/people.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from core.access import SESSION_KEY, membership_required
from core.http import post_only
from core.pagination import paginate
from programmes.forms import attach_errors
from programmes.models import Membership, Role
from trainees.selectors import get_trainee_for

from . import selectors, services
from .forms import AcceptForm, InvitationForm, RoleForm, TraineeInvitationForm

INVITATIONS_PER_PAGE = 25
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
UNUSABLE = {"accepted", "withdrawn", "expired"}  # the codes of invitation_accept's refusals


def _expiry(invitation) -> str:
    return date_format(timezone.localtime(invitation.expires_at), "j F Y")


# --- Inviting ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def invite(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _link = services.invitation_create(
                organisation=membership.organisation, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email} as "
                f"{invitation.get_role_display().lower()}. "
                f"The link works until {_expiry(invitation)}.",
            )
            return redirect("people:invitations")
    return render(request, "people/invitation_form.html", {
        "form": form, "trainee": None, "invitation_days": services.invitation_days(),
    })


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def invite_trainee(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a trainee to Ladder from their record: accepting links the login to it."""
    trainee = get_trainee_for(membership=request.membership, pk=pk, write=True)
    form = TraineeInvitationForm(
        request.POST if request.method == "POST" else None, initial={"email": trainee.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _link = services.invitation_create(
                organisation=request.membership.organisation, email=form.cleaned_data["email"],
                role=Role.TRAINEE, invited_by=request.user, trainee=trainee,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. When {trainee.full_name} accepts, "
                "their login is linked to this record. "
                f"The link works until {_expiry(invitation)}.",
            )
            return redirect("trainees:detail", pk=trainee.pk)
    return render(request, "people/invitation_form.html", {
        "form": form, "trainee": trainee, "invitation_days": services.invitation_days(),
    })


@membership_required(Role.TRAINING_LEAD)
def invitation_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request, selectors.invitations_visible_to(request.membership), INVITATIONS_PER_PAGE
    )
    now = timezone.now()
    rows = [(invitation, invitation.status_at(now)) for invitation in page]
    return render(request, "people/invitation_list.html", {"page": page, "rows": rows})


@membership_required(Role.TRAINING_LEAD)
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for(membership=request.membership, pk=pk, write=True)
    if refused := post_only(request):
        return refused
    try:
        invitation, _link = services.invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Invitation sent again to {invitation.email} with a new link, which works until "
            f"{_expiry(invitation)}. The earlier link no longer works.",
        )
    return redirect("people:invitations")


@membership_required(Role.TRAINING_LEAD)
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for(membership=request.membership, pk=pk, write=True)
    if refused := post_only(request):
        return refused
    try:
        invitation = services.invitation_withdraw(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Invitation to {invitation.email} withdrawn: its link no longer works."
        )
    return redirect("people:invitations")


# --- Accepting ----------------------------------------------------------------------------------


def _sso():
    """The single sign-on module when it is installed and configured, else None."""
    try:
        from . import sso  # written with the OpenID Connect work; absent until then
    except ImportError:
        return None
    try:
        return sso if sso.sso_enabled() else None
    except Exception:  # a misconfigured provider must not break accepting by password
        return None


def _sso_label(sso) -> str:
    label = getattr(sso, "sso_login_label", None)
    return (label() if callable(label) else "") or "Sign in with single sign-on"


def _sso_start_url(sso) -> str | None:
    start = getattr(sso, "login_url", None)
    if callable(start):
        return start()
    return reverse("people:sso_start")


def _land(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Act as the new role and go to its home page."""
    request.session[SESSION_KEY] = membership.pk
    messages.success(
        request,
        f"Welcome to Ladder. You are signed in as {membership.get_role_display().lower()} "
        f"at {membership.organisation.name}.",
    )
    return redirect("dashboards:home")


def _invalid(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "people/invitation_invalid.html", {"reason": reason}, status=status)


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: set a password (or sign in with single sign-on), or, for someone
    who already has a login, sign in and accept. A link that cannot be used says why and
    changes nothing."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return _invalid(
            request,
            "This invitation link is not valid. Check that you copied the whole link from the "
            "email, or ask your training lead for a new invitation.",
            404,
        )
    if reason := services.refusal(invitation):
        return _invalid(request, reason, 410)

    context = {"invitation": invitation, "token": token}
    sso = _sso()
    if sso is not None:
        context["sso_label"] = _sso_label(sso)

    if request.user.is_authenticated:
        if (request.user.email or "").lower() != invitation.email:
            context["wrong_person"] = True
            return render(request, "people/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                membership = services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as error:
                return _invalid(request, " ".join(error.messages), 409)
            return _land(request, membership)
        context["signed_in"] = True
        return render(request, "people/invitation_accept.html", context)

    if services.login_for_email(invitation.email) is not None:
        context["has_login"] = True
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, "people/invitation_accept.html", context)

    trainee = invitation.trainee
    initial = (
        {"first_name": trainee.first_name, "last_name": trainee.last_name} if trainee else None
    )
    data = request.POST if request.method == "POST" else None
    form = AcceptForm(invitation, data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_sign_up(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) in UNUSABLE:
                return _invalid(request, " ".join(error.messages), 410)
            attach_errors(form, error)
        else:
            login(request, membership.user, backend=LOGIN_BACKEND)
            return _land(request, membership)
    context["form"] = form
    return render(request, "people/invitation_accept.html", context)


@require_POST
def accept_with_sso(request: HttpRequest, token: str) -> HttpResponse:
    """Keep the invitation in the session and go to the identity provider; the single sign-on
    callback accepts it for the person whose verified email it is addressed to."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        raise Http404("No such invitation.")
    if reason := services.refusal(invitation):
        return _invalid(request, reason, 410)
    sso = _sso()
    start = _sso_start_url(sso) if sso is not None else None
    if start is None:
        raise Http404("Single sign-on is not set up here.")
    request.session[services.INVITATION_SESSION_KEY] = token
    return redirect(start)


# --- People and their roles --------------------------------------------------------------------


@membership_required(Role.TRAINING_LEAD)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for(membership=request.membership, pk=pk, write=True)
    roles = list(selectors.roles_in_organisation(membership=request.membership, user=person))
    return render(request, "people/person_detail.html", {
        "person": person,
        "roles": roles,
        "active_roles": [m for m in roles if m.is_active],
        "role_form": RoleForm(),
        "is_self": person.pk == request.user.pk,
    })


@membership_required(Role.TRAINING_LEAD)
def role_give(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for(membership=request.membership, pk=pk, write=True)
    if refused := post_only(request):
        return refused
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            membership = services.role_give(
                organisation=request.membership.organisation, user=person,
                role=form.cleaned_data["role"], actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{membership.person_name} is now {membership.get_role_display().lower()}."
            )
            return redirect("people:person", pk=person.pk)
    else:
        messages.error(request, "Choose a role to give.")
    return redirect("people:person", pk=person.pk)


@membership_required(Role.TRAINING_LEAD)
def role_take_away(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_role_for(membership=request.membership, pk=pk, write=True)
    if refused := post_only(request):
        return refused
    try:
        services.role_take_away(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{membership.person_name} is no longer {membership.get_role_display().lower()}.",
        )
    return redirect("people:person", pk=membership.user_id)


@membership_required(Role.TRAINING_LEAD)
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for(membership=request.membership, pk=pk, write=True)
    if refused := post_only(request):
        return refused
    try:
        services.person_deactivate(
            organisation=request.membership.organisation, user=person, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:person", pk=person.pk)
    person.refresh_from_db(fields=["is_active"])
    name = person.get_full_name() or person.get_username()
    if person.is_active:
        messages.success(
            request,
            f"{name} no longer has a role in {request.membership.organisation.name}. Their login "
            "stays active because they have a role in another organisation.",
        )
    else:
        messages.success(request, f"{name}'s login is deactivated: they can no longer sign in.")
    return redirect("people:person", pk=person.pk)
