"""The password-reset request page, throttled per email address and per client address."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views

from . import throttle


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
