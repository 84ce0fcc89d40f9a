"""The programme's role profile: read by everyone who sees the programme, built by the lead
organisation's training leads from the frameworks they see."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role
from programmes.selectors import can_change_programme, get_programme_for

from ...access import frameworks_visible_to
from ...models import Competency, RoleProfileItem
from .. import selectors, services
from ..forms import FrameworkPickForm, RoleProfileAddForm, RoleProfileItemForm


def _profile_url(programme) -> str:
    return reverse("profiles:role_profile", kwargs={"programme_pk": programme.pk})


@require_GET
@membership_required()
def role_profile(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """Four queries whatever the number of items (programme, profile, items; session and
    membership come from the middleware)."""
    membership = request.membership
    programme = get_programme_for(membership=membership, pk=programme_pk)
    profile = selectors.role_profile_of(programme)
    rows = {kind: [] for kind in RoleProfileItem.Kind.values}
    for item in selectors.role_profile_items(profile):
        rows[item.kind].append((item, selectors.level_name(item.competency, item.target_level)))
    groups = [(value, label, rows[value]) for value, label in RoleProfileItem.Kind.choices]
    return render(
        request,
        "competencies/profiles/role_profile.html",
        {
            "programme": programme,
            "profile": profile,
            "groups": groups,
            "total": sum(len(r) for r in rows.values()),
            "can_edit": can_change_programme(membership, programme),
            "own_organisation": programme.organisation_id == membership.organisation_id,
            "sees_programme_page": membership.role != Role.TRAINEE,
            "sees_gap_analysis": membership.role in GAP_ANALYSIS_ROLES,
        },
    )


GAP_ANALYSIS_ROLES = (Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.LECTURER, Role.MENTOR)


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def role_profile_add(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """Step 1 (GET): choose a framework. Step 2 (?framework=<pk>): tick its competencies, say
    whether they are core or role-specific and the level to reach."""
    membership = request.membership
    programme = get_programme_for(membership=membership, pk=programme_pk, write=True)
    pick = FrameworkPickForm(
        # A POST without a framework binds it too, so it says "Choose a framework".
        request.GET if "framework" in request.GET or request.method == "POST" else None,
        frameworks=frameworks_visible_to(membership=membership),
        label="Which framework are the competencies in?",
    )
    framework = pick.cleaned_data["framework"] if pick.is_bound and pick.is_valid() else None
    context = {"programme": programme, "pick": pick, "framework": framework, "form": None}
    if framework is None:
        return render(request, "competencies/profiles/role_profile_add.html", context)

    profile = selectors.role_profile_of(programme)
    already = selectors.profile_competency_ids(profile)
    competencies = selectors.framework_competencies(framework=framework).exclude(pk__in=already)
    groups = _groups(selectors.framework_competencies(framework=framework), list(competencies))
    form = RoleProfileAddForm(
        request.POST if request.method == "POST" else None,
        framework=framework,
        competencies=competencies,
        groups={group["key"]: group["items"] for group in groups},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.role_profile_get_or_create(programme)
            items = services.role_profile_add(
                profile=profile,
                competencies=form.cleaned_data["competencies"],
                kind=form.cleaned_data["kind"],
                target_level=form.cleaned_data["target_level"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            kind = RoleProfileItem.Kind(form.cleaned_data["kind"]).label.lower()
            count = len(items)
            noun = "competency" if count == 1 else "competencies"
            messages.success(request, f"{count} {noun} from {framework} added as {kind}.")
            return redirect(_profile_url(programme))
    everything = bool(form["everything"].value())
    context.update(
        form=form,
        already_count=len(already),
        available=bool(groups),
        groups=_ticked(groups, form, everything=everything),
        everything=everything,
        offered=sum(len(group["items"]) for group in groups),
        group_word=framework.taxonomy_for_depth(1) if framework.taxonomies else "group",
    )
    return render(request, "competencies/profiles/role_profile_add.html", context)


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def role_profile_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_role_profile_item_for(membership=request.membership, pk=pk, write=True)
    programme = item.profile.programme
    form = RoleProfileItemForm(request.POST if request.method == "POST" else None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_profile_update_item(
                item=item,
                kind=form.cleaned_data["kind"],
                target_level=form.cleaned_data["target_level"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{item.competency} saved.")
            return redirect(_profile_url(programme))
    return render(
        request,
        "competencies/profiles/role_profile_item_form.html",
        {"item": item, "programme": programme, "form": form},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def role_profile_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_role_profile_item_for(membership=request.membership, pk=pk, write=True)
    programme = item.profile.programme
    if request.method == "POST":
        services.role_profile_remove(item=item)
        messages.success(request, f"{item.competency} removed from the role profile.")
        return redirect(_profile_url(programme))
    return render(
        request,
        "competencies/profiles/role_profile_item_confirm_remove.html",
        {
            "item": item,
            "programme": programme,
            "level_name": selectors.level_name(item.competency, item.target_level),
        },
    )


def _groups(everything, available: list[Competency]) -> list[dict]:
    """The competencies on offer, grouped under their top-level one (a standard, a dimension)
    in the framework's order, so a whole group can be picked at once. Top-level competencies
    with nothing under them (the Care Certificate's standards) are gathered into one group,
    "loose", where the first of them stands."""
    parents = {c.pk: c.parent_id for c in everything}
    by_pk = {c.pk: c for c in everything}
    groups: dict[int, dict] = {}
    for competency in available:
        root = competency.pk
        while parents.get(root):
            root = parents[root]
        group = groups.setdefault(root, {"key": str(root), "root": by_pk.get(root, competency), "items": []})
        group["items"].append(competency)
    shaped, loose = [], None
    for group in groups.values():
        if group["items"] != [group["root"]]:
            shaped.append(group)
            continue
        if loose is None:
            loose = {"key": "loose", "root": None, "items": []}
            shaped.append(loose)
        loose["items"].append(group["root"])
    return shaped


def _ticked(groups: list[dict], form: RoleProfileAddForm, *, everything: bool) -> list[dict]:
    """The groups as the picker draws them, with the ticks the person sent (a refused pick is
    shown as it was sent, its ticked groups open)."""
    checked = {str(pk) for pk in form["competencies"].value() or []}
    whole = set(form["groups"].value() or [])
    shown = []
    for group in groups:
        all_of_it = everything or group["key"] in whole
        items = [
            {"competency": c, "checked": all_of_it or str(c.pk) in checked,
             # The error summary links to the first box, as to any field's.
             "input_id": f"id_competencies_{c.pk}" if shown or index else "id_competencies_0"}
            for index, c in enumerate(group["items"])
        ]
        shown.append({
            **group,
            "items": items,
            "whole": all_of_it,
            "any_checked": any(item["checked"] for item in items),
            # The loose group gets a tick of its own only beside real groups: alone, the
            # framework's "Select all" is that tick.
            "own_tick": group["key"] != "loose" or (len(groups) > 1 and len(items) > 1),
        })
    return shown
