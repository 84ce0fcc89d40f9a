"""Verifiable credentials: issuer keys, the credentials Ladder issued, and their status.

What a credential says is fixed when it is issued: the signed VC-JWT is kept as issued
(``token``) and never re-signed. What can change afterwards (revoked, suspended) lives here and
is published in the organisation's Bitstring Status Lists, at the credential's ``status_index``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from competencies.models import Competency
from core.status import StatusTag
from programmes.models import Organisation
from trainees.models import Enrolment, Trainee

# Entries per status list: 2**17 = 131,072, the W3C minimum, so one entry does not single out
# a person (Bitstring Status List v1.0, section 6.1 "Group privacy").
STATUS_LIST_SIZE = 131_072


def new_public_id() -> str:
    """128 random bits, URL-safe: the unguessable part of a credential's public address."""
    return secrets.token_urlsafe(16)


class IssuerKey(models.Model):
    """An organisation's signing key (Ed25519). The private key is stored only encrypted
    (credentials/keys.py); retired keys stay listed in the DID document so that credentials
    signed with them still verify."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="issuer_keys"
    )
    kid = models.CharField(max_length=64, help_text="The key's fragment in the DID document.")
    public_jwk = models.JSONField()
    private_key_encrypted = models.TextField(help_text="Fernet token of the PKCS#8 private key.")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kid"], name="issuer_key_unique_kid_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(retired_at__isnull=True),
                name="issuer_key_one_current_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} #{self.kid}"


class Credential(models.Model):
    """One OpenBadgeCredential issued to a trainee: for a delegated task signed off at or
    above target, or for completing a programme."""

    class Kind(models.TextChoices):
        COMPETENCY = "competency", "Delegated task"
        PROGRAMME = "programme", "Programme completed"

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        NOT_YET_VALID = "not_yet_valid", "Not yet valid"
        EXPIRED = "expired", "Expired"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="credentials_issued",
        help_text="The issuer.",
    )
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    # What the credential says, copied from the signed token for pages and lists.
    achievement_name = models.CharField(max_length=300)
    subject_name = models.CharField(max_length=250)
    assessor_organisation_name = models.CharField(max_length=200, blank=True)
    level_awarded = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="credentials")
    token = models.TextField(help_text="The compact JWS (VC-JWT) as issued.")
    status_list = models.PositiveIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "status_list", "status_index"],
                name="credential_status_index_never_reused",
            ),
            models.CheckConstraint(
                condition=models.Q(status_index__lt=STATUS_LIST_SIZE),
                name="credential_status_index_in_list",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="competency", competency__isnull=False)
                    | models.Q(kind="programme", enrolment__isnull=False)
                ),
                name="credential_names_what_it_is_for",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.achievement_name}: {self.subject_name}"

    # The public page's answer when the signature does not check out is "unverifiable".
    STATUS_TAGS = {
        "valid": StatusTag("Valid", "green"),
        "expired": StatusTag("Expired", "grey"),
        "suspended": StatusTag("Suspended", "yellow"),
        "revoked": StatusTag("Revoked", "red"),
        "not_yet_valid": StatusTag("Not yet valid", "grey"),
    }
    UNVERIFIABLE_TAG = StatusTag("Cannot be verified", "red")

    @classmethod
    def tag_for_status(cls, status: str) -> StatusTag:
        return cls.STATUS_TAGS.get(status, cls.UNVERIFIABLE_TAG)

    @property
    def status_tag(self) -> StatusTag:
        """The status now, in words and tag colour (core.templatetags.components.status_tag).
        A list may set ``current_status`` once per page, for one "now" across its rows."""
        status = getattr(self, "current_status", None) or self.status_at(timezone.now())
        return self.tag_for_status(status)

    def status_at(self, now) -> str:
        """Costs no query: revoked beats suspended beats the dates."""
        if self.revoked_at:
            return self.Status.REVOKED
        if self.suspended_at:
            return self.Status.SUSPENDED
        if self.valid_from > now:
            return self.Status.NOT_YET_VALID
        if self.valid_until and self.valid_until <= now:
            return self.Status.EXPIRED
        return self.Status.VALID
