"""Who sees and changes which frameworks. National frameworks (no organisation) are read by
everyone signed in and changed only by administrators; an organisation's own frameworks are
read by its people and changed by its training leads. (Who assesses: competencies.assessors.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from core.access import get_scoped_or_404
from programmes.models import Membership, Role

from .models import Competency, Framework


def frameworks_visible_to(*, membership: Membership | None) -> QuerySet[Framework]:
    if membership is None:
        return Framework.objects.none()
    return Framework.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=membership.organisation_id)
    ).select_related("scale", "organisation")


def can_change_framework(membership: Membership | None, framework: Framework) -> bool:
    return (
        membership is not None
        and membership.role == Role.TRAINING_LEAD
        and framework.organisation_id == membership.organisation_id
    )


def get_framework_for(*, membership: Membership | None, pk, write: bool = False) -> Framework:
    framework = get_scoped_or_404(frameworks_visible_to(membership=membership), membership, None, pk=pk)
    if write and not can_change_framework(membership, framework):
        raise PermissionDenied(
            "National frameworks are changed by administrators; your own organisation's by its training leads."
        )
    return framework


def competencies_visible_to(*, membership: Membership | None) -> QuerySet[Competency]:
    return Competency.objects.filter(
        framework__in=frameworks_visible_to(membership=membership).values("pk")
    ).select_related("framework", "scale")
