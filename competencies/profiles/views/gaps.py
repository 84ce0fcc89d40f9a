"""The gap analysis of a programme's role profile: what existing education already covers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import membership_required
from programmes.selectors import can_change_programme, get_programme_for

from ...models import RoleProfile
from .. import selectors
from .role_profiles import GAP_ANALYSIS_ROLES


@require_GET
@membership_required(*GAP_ANALYSIS_ROLES)
def gap_analysis(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """Five queries whatever the profile's size (programme, profile, items, mappings,
    courses; session and membership come from the middleware)."""
    membership = request.membership
    programme = get_programme_for(membership=membership, pk=programme_pk)
    profile = selectors.role_profile_of(programme) or RoleProfile(programme=programme)
    analysis = selectors.gap_analysis(profile=profile, membership=membership)
    return render(
        request,
        "competencies/profiles/gap_analysis.html",
        {
            "programme": programme,
            "analysis": analysis,
            "can_edit": can_change_programme(membership, programme),
        },
    )
