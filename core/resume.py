"""Nothing typed is lost when a session ends mid-form.

A person idle for an hour is signed out; typing does not count. When they then submit a form,
the POST arrives without a signed-in user and the view's login check sends them to the login
page: before this, what they had written was dropped. ``ResumeAfterSignInMiddleware`` keeps it:

1. a POST answered with a redirect to the login page (only a form that passed the CSRF check
   gets that far) is kept in the new, anonymous session, with the path it was sent to and who
   last signed in on this browser (a signed cookie), and a message says what happened;
2. Django's login keeps an anonymous session's data, and the login page sends the person back
   to the path (``next``); when that GET comes from the same person, the kept POST is sent
   again in its place, so the view finishes the action (or shows the form again, filled in,
   with its errors). Files cannot be kept: the message asks for them again.

Someone else signing in on the same browser gets nothing: the kept form is dropped.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url

KEPT = "_ladder_kept_post"
LAST_USER_COOKIE = "ladder_last_user"
LAST_USER_SALT = "core.resume.last-user"
KEEP_FOR = 24 * 60 * 60  # seconds a kept form waits for its owner to sign in again
NOT_KEPT = {"csrfmiddlewaretoken"}


def _last_user(request: HttpRequest) -> int | None:
    try:
        return int(request.get_signed_cookie(LAST_USER_COOKIE, salt=LAST_USER_SALT))
    except (KeyError, ValueError, signing.BadSignature):
        return None


def _is_login_redirect(response: HttpResponse) -> bool:
    if response.status_code != 302:
        return False
    login = resolve_url(settings.LOGIN_URL)
    return response.get("Location", "").split("?")[0] == login


class ResumeAfterSignInMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware, before the views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        replayed = False
        if request.method == "GET" and request.user.is_authenticated and KEPT in request.session:
            replayed = self._replay(request)
        response = self.get_response(request)
        if (request.method == "POST" and not replayed and not request.user.is_authenticated
                and settings.SESSION_COOKIE_NAME in request.COOKIES  # a session that ended
                and getattr(request.resolver_match, "url_name", None) not in ("login", "logout")
                and _is_login_redirect(response)):
            self._keep(request)
        if request.user.is_authenticated and _last_user(request) != request.user.pk:
            response.set_signed_cookie(
                LAST_USER_COOKIE, str(request.user.pk), salt=LAST_USER_SALT, max_age=KEEP_FOR,
                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def _keep(self, request: HttpRequest) -> None:
        data = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_KEPT}
        request.session[KEPT] = {
            "path": request.path, "data": data, "user": _last_user(request),
            "files": sorted(request.FILES), "at": int(time.time()),
        }
        messages.info(request, (
            "You were signed out because you had not used Ladder for a while. What you sent "
            "has been kept: sign in again to finish it."
        ))

    def _replay(self, request: HttpRequest) -> bool:
        kept = request.session.get(KEPT) or {}
        if kept.get("path") != request.path:
            return False
        del request.session[KEPT]
        if kept.get("user") != request.user.pk or time.time() - kept.get("at", 0) > KEEP_FOR:
            return False  # someone else signed in here, or it waited too long
        post = QueryDict(mutable=True)
        for key, values in kept["data"].items():
            post.setlist(key, values)
        post._mutable = False
        request.method = "POST"
        request.POST = post
        request._dont_enforce_csrf_checks = True  # it passed the check when it was first sent
        text = "You signed in again, so what you had sent before you were signed out was sent now."
        if kept.get("files"):
            text += " Files cannot be kept while you sign in: choose them again."
        messages.info(request, text)
        return True
