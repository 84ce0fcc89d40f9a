"""The two ends of the single sign-on flow: the start, which sends the person to their
identity provider, and the callback, where the provider sends them back with a code. And the
password pages: the reset request, throttled per address and per client, and what a login
made by single sign-on is told instead of a password form."""

from __future__ import annotations

import logging

import requests
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from core.access import SESSION_KEY

from . import sso, throttle
from .services import INVITATION_SESSION_KEY

logger = logging.getLogger(__name__)

# The session key recording that the person signed in through the identity provider.
SSO_SESSION_KEY = "ladder_signed_in_with_sso"


def _refused(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    return render(request, "people/sso_refused.html", {"reason": reason}, status=status)


class _StartView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(sso.get_oidc_setting)


@never_cache
@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the person to the identity provider, with a fresh state, nonce and PKCE challenge
    kept in their session (mozilla-django-oidc's request view)."""
    if not sso.sso_enabled():
        raise Http404("Single sign-on is not configured.")
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    try:
        return _StartView.as_view()(request)
    except sso.SsoUnavailable as exc:
        logger.warning("Single sign-on unavailable: %s", exc)
        return _refused(
            request, "The identity provider cannot be reached just now. Try again in a few "
            "minutes, or sign in with your password.", status=503,
        )


@never_cache
@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the person back. The state must be one this session started
    (each is used once); the code is exchanged for tokens; the ID token must be signed by the
    provider's key, for Ladder, unexpired, and carry this session's nonce; then the verified
    email decides who they are (people.sso.sso_person_for_claims)."""
    if not sso.sso_enabled():
        raise Http404("Single sign-on is not configured.")
    states = request.session.get("oidc_states")
    state = request.GET.get("state", "")
    flow = states.pop(state, None) if isinstance(states, dict) and state else None
    if flow is not None:
        request.session.modified = True  # each state is good for one answer only
    if request.GET.get("error"):
        description = request.GET.get("error_description") or request.GET["error"]
        return _refused(
            request, f"The identity provider did not sign you in ({description}).", status=403
        )
    if flow is None:
        return _refused(
            request, "This sign-in was not started from this browser, or it was already "
            "used. Start again from the sign-in page.", status=400,
        )
    if not request.GET.get("code"):
        return _refused(request, "The identity provider sent no sign-in code.", status=400)
    try:
        backend = sso.LadderOIDCBackend()
        backend.invitation_token = request.session.get(INVITATION_SESSION_KEY)
        user = backend.authenticate(
            request, nonce=flow.get("nonce"), code_verifier=flow.get("code_verifier")
        )
    except sso.SsoRefused as exc:
        return _refused(request, str(exc), status=403)
    except SuspiciousOperation as exc:
        logger.warning("Single sign-on refused: %s", exc)
        return _refused(request, f"Ladder could not trust the answer: {exc}", status=400)
    except (sso.SsoUnavailable, requests.RequestException) as exc:
        logger.warning("Single sign-on failed at the provider: %s", exc)
        return _refused(
            request, "The identity provider did not complete the sign-in. Start again from "
            "the sign-in page.", status=502,
        )
    if user is None or not user.is_active:
        return _refused(request, "Ladder could not match you to a login.", status=403)
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(INVITATION_SESSION_KEY, None)
    if backend.accepted_membership is not None:  # act in the role they were just given
        request.session[SESSION_KEY] = backend.accepted_membership.pk
    request.session[SSO_SESSION_KEY] = True
    # Where they were going when asked to sign in (checked by the library when it was stored).
    next_url = request.session.pop("oidc_login_next", None)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, with a limit a minute per email address (so nobody can flood a
    person's inbox) and per client address (so nobody can try addresses wholesale). Over the
    limit, nothing is sent and the form says so (429); the address typed stays in the box."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        client = get_client_ip_address(self.request) or "unknown"
        if throttle.over_limit(
            scope="password-reset-address", key=email,
            limit=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
        ):
            form.add_error("email", (
                # Nothing about links already sent: for an address with no login, none were.
                "You have asked for too many reset links for this email address. Wait a "
                "minute, then try again."
            ))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if throttle.over_limit(
            scope="password-reset-client", key=client,
            limit=settings.PASSWORD_RESET_RATE_PER_CLIENT,
        ):
            form.add_error("email", (
                "Too many reset links have been asked for from your network. Wait a minute, "
                "then try again."
            ))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class NoPasswordToChange:
    """For the password change view: a login with no usable password (one single sign-on
    made: people.sso) is told that it signs in through its organisation, and given no form it
    could never fill in (it has no current password to type). A POST is refused (403) with
    the same words."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            status = 200 if request.method in ("GET", "HEAD") else 403
            return render(request, "registration/password_change_sso.html", status=status)
        return super().dispatch(request, *args, **kwargs)
