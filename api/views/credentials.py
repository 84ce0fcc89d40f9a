"""Credentials: the Open Badges issued to the trainees the caller sees."""

from __future__ import annotations

from rest_framework import mixins

from credentials import selectors

from ..serializers.credentials import CredentialSerializer
from .base import LadderViewSet


class CredentialViewSet(mixins.ListModelMixin, LadderViewSet):
    """Credentials of the trainees the caller may see (a trainee: their own), newest first,
    each with its public address and its status now."""

    serializer_class = CredentialSerializer

    def get_queryset(self):
        return selectors.credentials_visible_to(membership=self.membership)
