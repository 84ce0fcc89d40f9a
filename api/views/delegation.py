"""Partnerships the caller's organisation is on, and the delegation records the caller sees."""

from __future__ import annotations

from rest_framework import mixins

from delegation import selectors

from ..serializers.delegation import DelegationSerializer, PartnershipSerializer
from .base import LadderViewSet


class PartnershipViewSet(mixins.ListModelMixin, LadderViewSet):
    """Partnerships the caller's organisation is party to, either side (read by its training
    leads and planners; other roles get none), newest first, with their status: proposed,
    accepted, declined or ended."""

    serializer_class = PartnershipSerializer

    def get_queryset(self):
        return selectors.partnerships_party_to(membership=self.membership)


class DelegationViewSet(mixins.ListModelMixin, LadderViewSet):
    """Delegation records the caller may see (as on the Delegated tasks page: both
    organisations', the worker their own), suspended first."""

    serializer_class = DelegationSerializer

    def get_queryset(self):
        return selectors.delegation_list(membership=self.membership)
