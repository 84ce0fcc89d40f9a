"""The API tokens page: a person makes tokens (each acting as one of their roles), sees when
each was last used, and revokes them. A new key is shown once and never again.

And the password pages that say so: every password change revokes every token of that person
(a token lent to a script outlives the password it was made under, so a new password must cut
it off too; api.receivers does it on the save, whoever changes the password and however); the
browser's change and reset pages say how many went, with a way to make new ones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import memberships_for
from people.account_views import NoPasswordToChange

from . import tokens
from .forms import TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    memberships = memberships_for(request.user)
    form = TokenForm(request.POST or None, memberships=memberships)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = tokens.token_create(
                user=request.user,
                membership_id=form.cleaned_data["membership"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm(memberships=memberships)  # an empty form under the new key
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": tokens.tokens_of(user=request.user),
            "has_roles": bool(memberships),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = tokens.token_revoke(user=request.user, token_id=pk)
    messages.success(request, f"The token '{token.name}' is revoked: it no longer works.")
    return redirect("api_tokens:list")


# How many tokens the password change revoked, for the page that follows it.
TOKENS_REVOKED_SESSION_KEY = "ladder_tokens_revoked"


class _RevokesTokens:
    """The form's save revokes the person's tokens (api.receivers); counted first, in the same
    transaction, for the page that follows."""

    @transaction.atomic
    def form_valid(self, form):
        revoked = tokens.tokens_active_count(user=form.user)
        response = super().form_valid(form)
        self.request.session[TOKENS_REVOKED_SESSION_KEY] = revoked
        return response


class _SaysWhatWasRevoked:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens_revoked"] = self.request.session.pop(TOKENS_REVOKED_SESSION_KEY, 0)
        return context


class PasswordChangeView(NoPasswordToChange, _RevokesTokens, auth_views.PasswordChangeView):
    pass


class PasswordResetConfirmView(_RevokesTokens, auth_views.PasswordResetConfirmView):
    pass


class PasswordChangeDoneView(_SaysWhatWasRevoked, auth_views.PasswordChangeDoneView):
    pass


class PasswordResetCompleteView(_SaysWhatWasRevoked, auth_views.PasswordResetCompleteView):
    pass
