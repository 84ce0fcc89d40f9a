"""Reads for organisations and people, each scoped to the acting membership."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .access import scoped
from .models import Membership, Role


def people_in_organisation(*, membership: Membership) -> QuerySet[Membership]:
    """Everyone with an active role in the acting organisation. One query."""
    return (
        scoped(Membership.objects.active(), membership, "organisation")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def people_count_by_role(*, membership: Membership) -> list[tuple[str, int]]:
    """(role label, number of people) for every role, in the order of Role. One query."""
    counts = dict(
        scoped(Membership.objects.active(), membership, "organisation")
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in Role.choices]
