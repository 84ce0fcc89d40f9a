"""Trainees, their enrolment on a cohort, learning contracts, protected study time and reviews.

Every change to these records goes through trainees/services.py and is recorded by
django-auditlog (who, when, which fields); status changes are also kept as transitions with
the reason, because "why was this trainee paused?" is a question people ask.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format

from core.status import StatusTag, tag_for
from programmes.models import ClinicalArea, Cohort, Organisation

REVIEW_INTERVAL = timedelta(weeks=12)  # apprenticeship rules: a review at least every 12 weeks


def enrolment_date_problem(day: date, cohort: Cohort) -> str | None:
    """Why ``day`` cannot be the date someone joined ``cohort``, or None: the one rule for the
    enrol form, the API and the enrolment import. A trainee joins between the cohort's start and
    its expected end; as a cohort starts within 5 years of today and ends within 5 of its start
    (Cohort.clean), a mistyped year (1999, 2062) falls outside too."""
    if day < cohort.starts_on:
        return f"The enrolment date {_show(day)} is before the cohort starts ({_show(cohort.starts_on)})."
    if day > cohort.ends_on:
        return f"The enrolment date {_show(day)} is after the cohort's expected end ({_show(cohort.ends_on)})."
    return None


def _show(day: date) -> str:
    return date_format(day, "j F Y")


class AgendaForChangeBand(models.TextChoices):
    BAND_1 = "1", "Band 1"
    BAND_2 = "2", "Band 2"
    BAND_3 = "3", "Band 3"
    BAND_4 = "4", "Band 4"
    BAND_5 = "5", "Band 5"
    BAND_6 = "6", "Band 6"
    BAND_7 = "7", "Band 7"
    NOT_AFC = "other", "Not on Agenda for Change"


class Trainee(models.Model):
    """A member of staff developing into the new role. May or may not have a Ladder login."""

    # No index of its own: the unique (organisation, employee number) index leads with it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="trainees", db_index=False
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="trainee_record", help_text="Their Ladder login, if they have one.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    employee_number = models.CharField(max_length=30)
    band = models.CharField(
        "Agenda for Change band", max_length=10, choices=AgendaForChangeBand.choices, blank=True
    )
    job_title = models.CharField(max_length=150, blank=True)
    clinical_area = models.ForeignKey(
        ClinicalArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="trainees",
        verbose_name="ward or clinical area",
    )
    # No index of their own: the (line manager, organisation) and (mentor, organisation)
    # indexes of Meta lead with them.
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="managed_trainees", db_index=False,
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="mentees", db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        # A manager's or mentor's trainees, always read within the acting organisation (every
        # home page of theirs, three statements each): found from one index rather than the
        # person's and the organisation's (2,000 entries at the large size) combined.
        indexes = [
            models.Index(fields=["line_manager", "organisation"], name="trainee_by_line_manager"),
            models.Index(fields=["mentor", "organisation"], name="trainee_by_mentor"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                name="trainee_unique_employee_number_per_org",
                violation_error_message="Another trainee in this organisation has this employee number.",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.name_of(self.first_name, self.last_name)

    @staticmethod
    def name_of(first_name: str, last_name: str) -> str:
        """full_name from the two names, for a read that has them without the trainee."""
        return f"{first_name} {last_name}".strip()


class Enrolment(models.Model):
    """A trainee on a cohort. Its status moves only along ALLOWED_TRANSITIONS."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Outcome(models.TextChoices):
        QUALIFIED = "qualified", "Qualified in the role"
        PROGRESSED = "progressed", "Progressed to further training"
        RETURNED = "returned", "Returned to previous role"

    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        Status.APPLIED: frozenset({Status.ACTIVE, Status.WITHDRAWN}),
        Status.ACTIVE: frozenset({Status.PAUSED, Status.COMPLETED, Status.WITHDRAWN}),
        Status.PAUSED: frozenset({Status.ACTIVE, Status.WITHDRAWN}),
        Status.COMPLETED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }

    # No index of its own: the unique (trainee, cohort) index leads with it.
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="enrolments", db_index=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_detail = models.CharField(
        max_length=200, blank=True,
        help_text="For further training, what: e.g. 'Nursing degree (abbreviated), Westmoor University'.",
    )
    study_hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True,
        help_text="Leave blank to use the cohort's plan.",
    )
    enrolled_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # Optimistic locking: a save must name the version it read (see services).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["trainee__last_name", "trainee__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "cohort"], name="enrolment_unique_trainee_per_cohort",
                violation_error_message="This trainee is already enrolled on this cohort.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["applied", "active", "paused", "completed", "withdrawn"]),
                name="enrolment_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | ~models.Q(outcome=""),
                name="enrolment_completed_has_outcome",
                violation_error_message="A completed enrolment needs an outcome.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} on {self.cohort.name}"

    def clean(self) -> None:
        # Checked when the enrolment is made (its date never changes after): one kept for years
        # is not refused for a rule it met when it was made.
        if self.pk is None and self.enrolled_on and self.cohort_id:
            if problem := enrolment_date_problem(self.enrolled_on, self.cohort):
                raise ValidationError({"enrolled_on": problem})

    @property
    def status_tag(self) -> StatusTag:
        """The status in words and tag colour (core.templatetags.components.status_tag)."""
        return tag_for(self, {"active": "green", "paused": "yellow", "completed": "blue", "withdrawn": "red"})

    @property
    def planned_hours_per_week(self):
        if self.study_hours_per_week is not None:
            return self.study_hours_per_week
        return self.cohort.study_hours_per_week

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.APPLIED, self.Status.ACTIVE, self.Status.PAUSED)


class EnrolmentTransition(models.Model):
    """One change of an enrolment's status: who, when, why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Enrolment.Status.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.from_status or 'new'} → {self.to_status}"


class LearningContract(models.Model):
    """What each of the four parties undertakes, signed by each of them in the app."""

    class Party(models.TextChoices):
        TRAINEE = "trainee", "Trainee"
        MENTOR = "mentor", "Mentor"
        MANAGER = "manager", "Line manager"
        LECTURER = "lecturer", "Lecturer"

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="contract")
    trainee_expectations = models.TextField()
    mentor_expectations = models.TextField()
    manager_expectations = models.TextField()
    lecturer_expectations = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Learning contract: {self.enrolment}"


class ContractSignature(models.Model):
    """A party's signature: the signed-in person confirming, with the time."""

    contract = models.ForeignKey(
        LearningContract, on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.CharField(max_length=20, choices=LearningContract.Party.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "party"], name="signature_one_per_party",
                violation_error_message="This party has already signed.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} signed {self.contract}"


class StudySession(models.Model):
    """A session of protected study time: taken, or lost (with why, and whether cover was
    arranged). Planned hours come from the enrolment's plan, not from these rows."""

    class Outcome(models.TextChoices):
        TAKEN = "taken", "Taken"
        LOST = "lost", "Lost"

    class LostReason(models.TextChoices):
        WARD_STAFFING = "ward_staffing", "Ward staffing"
        SICKNESS = "sickness", "Sickness"
        ANNUAL_LEAVE = "annual_leave", "Annual leave"
        CLINICAL_PRIORITY = "clinical_priority", "Clinical priority on the ward"
        OTHER = "other", "Other"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="study_sessions")
    date = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.TAKEN)
    lost_reason = models.CharField(max_length=30, choices=LostReason.choices, blank=True)
    cover_arranged = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24),
                name="study_session_hours_in_range",
                violation_error_message="Hours must be more than 0 and no more than 24.",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="taken", lost_reason="")
                | (models.Q(outcome="lost") & ~models.Q(lost_reason="")),
                name="study_session_lost_needs_reason",
                violation_error_message="Say why the study time was lost (and only then).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.hours} h {self.get_outcome_display().lower()}"


class ProgressReview(models.Model):
    """A tripartite review (trainee, manager, tutor), due at least every 12 weeks."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    trainee_present = models.BooleanField(default=True)
    manager_present = models.BooleanField(default=True)
    tutor_present = models.BooleanField(default=True)
    notes = models.TextField()
    actions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.enrolment} on {self.held_on}"


class EnrolmentFigures(models.Model):
    """An enrolment's figures that the due lists decide on (trainees.due.open_rows), worked out
    from its rows elsewhere and kept here: its last progress review, the study hours taken and
    who has signed its learning contract. Reading them as three subqueries a row was most of a
    home page's SQL (a line manager's 200 trainees: 1.0 of 1.7 ms, issue #15).

    Kept by the database, never by Python: triggers on ProgressReview, StudySession and
    ContractSignature (migration 0004) work the enrolment's figures out again whenever one of
    its rows is added, changed or deleted, whatever wrote it, in the same transaction. An
    enrolment with none of those rows has no row here: read it with a LEFT JOIN
    (trainees.selectors.with_kept_figures). No foreign-key constraint: the row goes when the
    enrolment's own rows go, before the enrolment itself (Django deletes those first)."""

    enrolment = models.OneToOneField(
        Enrolment, primary_key=True, on_delete=models.DO_NOTHING, related_name="kept_figures", db_constraint=False
    )
    last_review_on = models.DateField(null=True)  # the latest ProgressReview.held_on
    # The sum of the taken StudySession.hours (None when none), as exact as theirs.
    hours_taken = models.DecimalField(max_digits=9, decimal_places=1, null=True)
    # The parties who have signed, joined by commas in no given order (selectors.signers_of).
    signers = models.CharField(max_length=100, null=True)  # noqa: DJ001 (None: nobody has signed, as with_signers)

    def __str__(self) -> str:
        return f"Figures of enrolment {self.enrolment_id}"


# The bulk-import job lives in its own package but belongs to this app (and its migrations).
from .enrolment_import.models import EnrolmentImport  # noqa: E402,F401
