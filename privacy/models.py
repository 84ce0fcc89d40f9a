"""What was done with a person's data under data-protection law: every subject access export
and every erasure, with who did it and when. The row never holds the personal data itself."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from programmes.models import Organisation
from trainees.models import Trainee


def export_upload_to(event: PrivacyEvent, filename: str) -> str:
    # A random name: nothing guessable on disk; downloads go through an access-checked view.
    return f"privacy/exports/{event.organisation_id}/{uuid.uuid4().hex}.zip"


class PrivacyEvent(models.Model):
    """An export is put together by a Celery worker (a long record makes a long PDF): the row
    records the request at once, then the worker's progress and the file."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Subject access export"
        ERASURE = "erasure", "Erasure"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Being put together"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

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
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)
    file = models.FileField(upload_to=export_upload_to, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["export", "erasure"]), name="privacy_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of trainee #{self.trainee_id}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
