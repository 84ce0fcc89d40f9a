"""Report jobs (case-study PDFs and data exports rendered by Celery) and the case study's
narrative, which a training lead writes in the browser."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.status import StatusTag, tag_for
from programmes.models import Cohort, Organisation, Programme


class CaseStudyNarrative(models.Model):
    """The words of a programme's case study that data cannot supply. Sections follow the
    published case studies (shared/domain 003)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="case_study")
    organisation_text = models.TextField("The organisation", blank=True)
    what_we_did_and_why = models.TextField("What we did and why", blank=True)
    how_we_did_it = models.TextField("How we did it", blank=True)
    results_and_next_steps = models.TextField("Results and next steps", blank=True)
    tips_for_others = models.TextField("Tips for others", blank=True)
    contact_details = models.TextField("Contact details", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Case study of {self.programme}"


def report_upload_to(job: ReportJob, filename: str) -> str:
    return f"reports/{job.organisation_id}/{uuid.uuid4().hex}-{filename}"


class ReportJob(models.Model):
    """What was asked, by whom and when; where the render is; the file when done, or a
    readable reason when it failed. A job is never left running: see tasks.fail_stuck_jobs."""

    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", "Case study (PDF)"
        COHORT_PROGRESS = "cohort_progress", "Cohort progress report (PDF)"
        TRAINEE_PORTFOLIO = "trainee_portfolio", "Trainee portfolio (PDF)"
        EXPORT_CSV = "export_csv", "Data export (CSV)"
        EXPORT_XLSX = "export_xlsx", "Data export (Excel)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="report_jobs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="report_jobs"
    )
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="report_jobs")
    trainee = models.ForeignKey(
        "trainees.Trainee", null=True, blank=True, on_delete=models.CASCADE, related_name="report_jobs"
    )
    options = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="report_jobs"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=120, blank=True)  # what the worker is doing now
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=report_upload_to, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_job_progress_is_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def status_tag(self) -> StatusTag:
        """The status in words and tag colour (core.templatetags.components.status_tag)."""
        return tag_for(self, {"done": "green", "failed": "red"}, default="blue")

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
