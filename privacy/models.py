"""What was done with a person's data under data-protection law: every subject access export
and every erasure, with who did it and when. The row never holds the personal data itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from programmes.models import Organisation
from trainees.models import Trainee


class PrivacyEvent(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", "Subject access export"
        ERASURE = "erasure", "Erasure"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Erasure keeps the trainee row (anonymised), so the event can point at it for good.
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="privacy_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(
        max_length=300, blank=True,
        help_text="What was exported or erased, in counts only (never the data).",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["export", "erasure"]), name="privacy_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of trainee #{self.trainee_id}"
