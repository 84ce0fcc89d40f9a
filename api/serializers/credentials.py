"""Credentials: what each says, its public address and its status now."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credentials.models import Credential
from credentials.services import credential_url

STATUS_CHOICES = [*Credential.Status.values]


class CredentialSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The public address: a page anyone can open to check the credential, or the "
        "signed credential (VC-JWT) when asked for application/vc+jwt."
    )
    status = serializers.SerializerMethodField(
        help_text="Checked now: valid, not_yet_valid, expired, suspended or revoked."
    )
    issuer = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Credential
        fields = [
            "id", "kind", "trainee", "achievement_name", "subject_name", "issuer",
            "assessor_organisation_name", "competency", "enrolment", "valid_from", "valid_until",
            "issued_at", "url", "status",
        ]
        read_only_fields = fields

    def get_url(self, credential: Credential) -> str:
        return credential_url(credential.public_id)

    @extend_schema_field(serializers.ChoiceField(choices=STATUS_CHOICES))
    def get_status(self, credential: Credential) -> str:
        return credential.status_at(self.context.setdefault("now", timezone.now()))
