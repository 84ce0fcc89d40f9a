"""Report jobs (case-study PDFs and data exports rendered by Celery) and the case study's
narrative, which a training lead writes in the browser."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from programmes.models import Cohort, Organisation, Programme


def logo_upload_to(narrative: CaseStudyNarrative, filename: str) -> str:
    return f"reports/logos/{narrative.programme_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


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
    # Front matter (issue 17): the cover a trust would put its name to.
    subtitle = models.CharField("Subtitle", max_length=200, blank=True)
    authors = models.CharField("Authors", max_length=300, blank=True)
    publication_date = models.DateField("Publication date", null=True, blank=True)
    show_produced_with_ladder = models.BooleanField("Show \u201cProduced with Ladder\u201d on the cover", default=True)
    logo = models.FileField("Organisation logo", upload_to=logo_upload_to, blank=True)
    # Sections published case studies have (issue 17).
    challenges = models.TextField("Challenges and how we overcame them", blank=True)
    costs_and_benefits = models.TextField("Costs and benefits", blank=True)
    cost_per_trainee = models.DecimalField("Cost per trainee (£)", max_digits=10, decimal_places=2,
                                           null=True, blank=True, validators=[MinValueValidator(0)])
    funding_amount = models.DecimalField("Funding received (£)", max_digits=12, decimal_places=2,
                                         null=True, blank=True, validators=[MinValueValidator(0)])
    backfill_hours = models.DecimalField("Backfill hours", max_digits=8, decimal_places=1,
                                         null=True, blank=True, validators=[MinValueValidator(0)])
    service_user_quotes = models.TextField("Service-user voice", blank=True)
    service_user_quotes_consented = models.BooleanField(
        "Everyone quoted agreed to be quoted in a published case study", default=False)
    acknowledgements = models.TextField("Acknowledgements", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Case study of {self.programme}"

    @property
    def quotes(self) -> list[tuple[str, str]]:
        """The service-user quotes to publish, as (words, attribution): one a line, the
        attribution after " - " or " \u2013 ". None unless consent was confirmed."""
        if not self.service_user_quotes_consented:
            return []
        out = []
        for line in self.service_user_quotes.splitlines():
            line = line.strip()
            if not line:
                continue
            words, attribution = line, ""
            for dash in (" \u2013 ", " \u2014 ", " - "):
                if dash in line:
                    words, attribution = (part.strip() for part in line.rsplit(dash, 1))
                    break
            out.append((words.strip("\"\u201c\u201d "), attribution))
        return out


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
    def file_format(self) -> str:
        """A case study's format: "pdf" or "docx" (options["format"]; PDF when not given)."""
        if self.kind != self.Kind.CASE_STUDY:
            return ""
        return self.options.get("format") or "pdf"

    @property
    def label(self) -> str:
        """What the job produces, as the pages name it: "Case study (Word)" for a Word one."""
        if self.file_format == "docx":
            return "Case study (Word)"
        return self.get_kind_display()

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
