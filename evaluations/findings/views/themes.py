"""A programme's code list: everyone who may read its findings sees it; its leads change it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role
from programmes.selectors import can_change_programme, get_programme_for

from .. import selectors, services
from ..forms import ThemeForm


def _themes_url(programme) -> str:
    return reverse("findings:themes", kwargs={"programme_pk": programme.pk})


@require_http_methods(["GET", "POST"])
@membership_required(*selectors.FINDINGS_READERS)
def themes(request: HttpRequest, programme_pk: int) -> HttpResponse:
    membership = request.membership
    programme = get_programme_for(membership=membership, pk=programme_pk, evaluation=True)
    can_edit = can_change_programme(membership, programme)
    form = ThemeForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only the lead organisation's training leads can change the code list.")
        if request.POST.get("action") == "defaults":
            added = services.themes_add_defaults(programme=programme, actor=request.user)
            if added:
                messages.success(request, f"Added {len(added)} suggested theme{'s' if len(added) != 1 else ''}.")
            else:
                messages.info(request, "The code list already has every suggested theme.")
            return redirect(_themes_url(programme))
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                theme = services.theme_create(programme=programme, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Theme “{theme.name}” added.")
                return redirect(_themes_url(programme))
    rows = selectors.themes_of(programme=programme)
    return render(request, "evaluations/findings/themes.html", {
        "programme": programme, "rows": rows, "form": form, "can_edit": can_edit,
        "missing_defaults": selectors.missing_default_themes(rows),
    })


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = selectors.get_theme_for(membership=request.membership, pk=pk)
    name = theme.name
    form = ThemeForm(request.POST if request.method == "POST" else None,
                     initial={"name": theme.name, "description": theme.description})
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_update(theme=theme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Theme “{theme.name}” saved.")
            return redirect(_themes_url(theme.programme))
    return render(request, "evaluations/findings/theme_form.html",
                  {"form": form, "theme": theme, "name": name, "programme": theme.programme})


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    theme = selectors.get_theme_for(membership=request.membership, pk=pk)
    programme = theme.programme
    if request.method == "POST":
        removed = services.theme_delete(theme=theme, actor=request.user)
        extra = f" with {removed} coding{'s' if removed != 1 else ''}" if removed else ""
        messages.success(request, f"Theme “{theme.name}” deleted{extra}.")
        return redirect(_themes_url(programme))
    return render(request, "evaluations/findings/theme_confirm_delete.html", {
        "theme": theme, "programme": programme, "codings": theme.codings.count(),
    })
