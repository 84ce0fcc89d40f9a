"""An invitation brings a person into an organisation in a role.

Only a hash of the link's secret is stored: the link itself is shown once (in the email, or
printed by ``manage.py invite``), so a copy of the database cannot be used to accept one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.status import StatusTag
from programmes.models import Organisation, Role

ROLE_LABELS = dict(Role.choices)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None) -> InvitationQuerySet:
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    # No index of its own: the (organisation, email) index leads with it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", db_index=False
    )
    email = models.EmailField(help_text="Stored in lower case: addresses are matched without case.")
    role = models.CharField(max_length=20, choices=Role.choices)
    trainee = models.ForeignKey(
        "trainees.Trainee", null=True, blank=True, on_delete=models.CASCADE,
        related_name="invitations", help_text="The trainee record the login will be linked to.",
    )
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the link's secret
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="invitations_withdrawn",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "email"], name="invitation_org_email")]

    def __str__(self) -> str:
        # The label from a dict made once: get_role_display flattens the choices on every call,
        # a third of the time of the audit entries' text of an import's thousand invitations.
        return f"{self.email} as {ROLE_LABELS.get(self.role, self.role)} at {self.organisation}"

    def status_at(self, now=None) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_tag(self) -> StatusTag:
        """The status now, in words and tag colour (core.templatetags.components.status_tag)."""
        status = self.status
        colour = {"pending": "blue", "accepted": "green", "expired": "grey"}.get(status, "red")
        return StatusTag(self.Status(status).label, colour)
