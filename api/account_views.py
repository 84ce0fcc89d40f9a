"""The API tokens page: a person makes tokens (each acting as one of their roles), sees when
each was last used, and revokes them. A new key is shown once and never again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import memberships_for

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
