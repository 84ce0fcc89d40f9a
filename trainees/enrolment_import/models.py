"""One bulk enrolment: the uploaded CSV, what the checks found, and how the import went.

Part of the trainees app (``app_label``): trainees/models.py imports it so Django registers it.
Only the services in this package change it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.status import StatusTag, tag_for
from programmes.models import Cohort, Organisation


def _upload_to(instance: EnrolmentImport, filename: str) -> str:
    # A random name: the person's own file name may say whose data it holds. The files sit
    # under MEDIA_ROOT/imports/, which is never served (see config/urls.py).
    return f"imports/{uuid.uuid4().hex}.csv"


class EnrolmentImport(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWED = "previewed", "Ready to import"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="enrolment_imports"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolment_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who pressed "Import": the actor of every change the import makes.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(upload_to=_upload_to, blank=True, max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    create_wards = models.BooleanField(
        default=False, help_text="Create wards named in the file that do not exist yet."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    row_count = models.PositiveIntegerField(default=0)
    # Final count, written with the result. While a job runs, progress lives in the cache
    # (see services.progress_of): this row is locked by the import's transaction until then.
    processed_rows = models.PositiveIntegerField(default=0)
    # What the preview found: {"new": n, "existing": n, "new_wards": [names]}.
    plan = models.JSONField(default=dict, blank=True)
    # [{"line": 12 or null, "message": "..."}] when the checks failed at import time.
    errors = models.JSONField(default=list, blank=True)
    # {"created": new trainees, "enrolled": enrolments made, "wards_created": n}
    result = models.JSONField(default=dict, blank=True)
    failure_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "trainees"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["uploaded", "previewed", "queued", "running", "done", "failed"]
                ),
                name="enrolment_import_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("row_count")),
                name="enrolment_import_processed_within_rows",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Import of {self.row_count} rows into {self.cohort_id} ({self.get_status_display()})"
        )

    @property
    def status_tag(self) -> StatusTag:
        """The status in words and tag colour (core.templatetags.components.status_tag)."""
        return tag_for(self, {"done": "green", "failed": "red", "previewed": "blue"}, default="yellow")

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
