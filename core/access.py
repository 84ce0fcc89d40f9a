"""Ladder's one access layer: who is acting, as what, and what they may see.

A person acts through one Membership at a time (the organisation and role in the page header).
Access is decided by that membership, never by the union of a person's roles: a trainee in one
trust who is a training lead in another must not see the first trust's records as a lead.

Every view, and later the API, uses these pieces:
- ``request.membership`` (set by ``ActiveMembershipMiddleware``) is the acting membership;
- ``membership_required(*roles)`` guards a view: anonymous -> login, no role -> 403;
- ``scoped(queryset, membership, path)`` narrows any list to the acting organisation;
- ``get_scoped_or_404(queryset, membership, path, **lookup)`` fetches one object or raises 404,
  so an object of another organisation is indistinguishable from one that does not exist.
Each app's selectors build on the last two with their own ``path`` to the organisation.

One access path per model: ``get_<model>_for(*, membership, pk, write=False)`` in the model's
app's selectors, called alike by pages, the API, reports and commands. One rule decides 404
versus 403, everywhere:

- **404** when the acting membership cannot see the object at all: another organisation's (not
  a partner on its programme), one that does not exist, one outside what the role sees (a
  lecturer's cohorts are the ones they teach; a mentor's trainees their mentees). Ids of what
  you cannot see stay secret: "not yours" and "no such thing" read the same.
- **403**, with the reason, when the membership can see the object but may not do this with
  it: change it (``write=True``: usually only the owning organisation's training leads), or
  read a part kept from some who see the object (a programme's evaluation, which its partners
  do not read). A role refused a whole page by ``membership_required`` gets 403 before any
  object is fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from core.data_version import data_version_subquery

if TYPE_CHECKING:
    from programmes.models import Membership

SESSION_KEY = "ladder_membership_id"

M = TypeVar("M", bound=Model)


def memberships_for(user) -> list[Membership]:
    """The person's active memberships, organisation first. Cached on the user for the request.
    Each carries ``data_version``, read in the same statement (core.data_version.CURRENT): a
    page's cached fragments are keyed on it, and read here, first, it costs no round trip of
    its own."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_ladder_memberships", None)
    if cached is None:
        cached = list(
            apps.get_model("programmes", "Membership").objects.active().filter(user=user).select_related("organisation")
            .annotate(data_version=data_version_subquery())
        )
        for membership in cached:
            membership.user = user  # the same person: spare selectors a query for it
        user._ladder_memberships = cached
    return cached


def choose_membership(user, membership_id: int | None) -> Membership | None:
    """The membership the person asked to act as, or their first one."""
    memberships = memberships_for(user)
    for membership in memberships:
        if membership.pk == membership_id:
            return membership
    return memberships[0] if memberships else None


def switch_membership(request: HttpRequest, membership_id: int) -> Membership:
    """Make another of the person's own memberships the acting one; 404 for anyone else's."""
    for membership in memberships_for(request.user):
        if membership.pk == membership_id:
            request.session[SESSION_KEY] = membership.pk
            request.membership = membership
            return membership
    raise Http404("No such membership.")


def membership_required(*roles: str) -> Callable:
    """Guard a view: anonymous people go to the login page; people without a membership, or
    acting in a role not listed (when roles are given), get 403 with the reason."""

    allowed = set(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if membership is None:
                raise PermissionDenied("You do not have a role in any organisation in Ladder.")
            if allowed and membership.role not in allowed:
                raise PermissionDenied(
                    f"This page is not available to a {membership.get_role_display().lower()}."
                )
            return view(request, *args, **kwargs)

        wrapper.ladder_roles = frozenset(allowed) or _all_roles()
        return wrapper

    return decorator


def _all_roles() -> frozenset[str]:
    """Every role a membership can carry (read from the model, so core imports no app)."""
    field = apps.get_model("programmes", "Membership")._meta.get_field("role")
    return frozenset(value for value, _label in field.choices)


def scoped(queryset: QuerySet[M], membership: Membership | None, path: str) -> QuerySet[M]:
    """Only the rows of the acting organisation. ``path`` is the lookup from the model to its
    Organisation (``"organisation"``, ``"cohort__programme__organisation"``, ...; ``""`` for
    Organisation itself)."""
    if membership is None:
        return queryset.none()
    # "fk__pk" compares the local column: no join to the organisation table.
    lookup = f"{path}__pk" if path else "pk"
    return queryset.filter(**{lookup: membership.organisation_id})


def get_scoped_or_404(
    queryset: QuerySet[M], membership: Membership | None, path: str | None, **lookup
) -> M:
    """One object of the acting organisation, or 404 (never 403: ids of others stay secret).

    ``path=None`` means the queryset is already scoped (a selector such as
    ``programmes_visible_to`` that also admits partner organisations)."""
    if membership is None:
        raise Http404("No such record.")
    if path is not None:
        queryset = scoped(queryset, membership, path)
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from exc
