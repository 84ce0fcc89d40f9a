"""Organisations and the people in them. Programmes, milestones and cohorts join them later."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """What a person does in an organisation; decides what Ladder shows them and lets them do."""

    TRAINING_LEAD = "training_lead", "Training lead"
    MANAGER = "manager", "Line manager"
    MENTOR = "mentor", "Mentor / assessor"
    LECTURER = "lecturer", "Lecturer"
    PLANNER = "planner", "Workforce planner"
    TRAINEE = "trainee", "Trainee"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        HEALTH_BOARD = "health_board", "Health board"
        CARE_PROVIDER = "care_provider", "Care provider"
        EDUCATION = "education", "University or college"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NHS_TRUST)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(models.Model):
    """A person's role in an organisation. A person may hold several; they act as one at a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"

    @property
    def person_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class ClinicalArea(models.Model):
    """A ward, unit or team of an organisation where trainees work (e.g. "Larch Ward")."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="clinical_areas"
    )
    name = models.CharField(max_length=120)
    setting = models.CharField(
        max_length=120, blank=True, help_text="For example, inpatient mental health."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="clinical_area_unique_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """The new support role being developed, and the plan for developing it."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        RUNNING = "running", "Running"
        ESTABLISHED = "established", "Established"
        CLOSED = "closed", "Closed"

    class EducationRoute(models.TextChoices):
        FOUNDATION_DEGREE = "foundation_degree", "Foundation degree"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship standard"
        IN_HOUSE = "in_house", "In-house programme"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes",
        help_text="The lead organisation.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    setting = models.CharField(
        max_length=200, blank=True, help_text="For example, inpatient mental health."
    )
    clinical_areas = models.ManyToManyField(ClinicalArea, blank=True, related_name="programmes")
    intended_benefits = models.JSONField(default=list, blank=True)
    education_route = models.CharField(
        max_length=30, choices=EducationRoute.choices, default=EducationRoute.IN_HOUSE
    )
    education_detail = models.CharField(
        max_length=200, blank=True,
        help_text="The course or standard, e.g. 'Foundation degree in mental health, "
        "Westmoor University' or 'ST0827 nursing associate, level 5'.",
    )
    apprenticeship_standard = models.CharField(
        max_length=20, blank=True, help_text="The standard's reference, for example ST0827."
    )
    funding_source = models.CharField(max_length=200, blank=True)
    drivers_and_standards = models.JSONField(default=list, blank=True)
    code_of_practice = models.FileField(
        upload_to="programmes/code-of-practice/", blank=True,
        help_text="The organisational code of practice for the role (PDF or Word).",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["planning", "running", "established", "closed"]),
                name="programme_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


MILESTONE_PLAUSIBLE_YEARS = 10  # due dates within this many years of today
MILESTONE_EARLY_YEARS = 2  # done at most this long before it was due
COHORT_PLAUSIBLE_YEARS = 5  # a cohort starts within this many years of today
COHORT_PROGRAMME_SLACK_YEARS = 2  # ... and of its programme's milestones
COHORT_LONGEST_YEARS = 5  # the longest programme (a degree apprenticeship) with a break


class Milestone(models.Model):
    """A step on the programme's timeline, from planning to implementation."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today) -> bool:
        """Late means still to do and past its due date. A milestone finished after its due
        date is done, not late: ``days_late`` says by how much."""
        return self.done_on is None and self.due_on < today

    @property
    def days_late(self) -> int:
        """How many days after its due date it was done (0 if on time or not yet done)."""
        if self.done_on is None or self.done_on <= self.due_on:
            return 0
        return (self.done_on - self.due_on).days

    def clean(self) -> None:
        """Refuse dates no real timeline has: a due date decades away from the programme, or a
        done date years before the milestone was due (a mistyped year, usually)."""
        errors = {}
        today = timezone.localdate()
        if self.due_on:
            earliest = date(today.year - MILESTONE_PLAUSIBLE_YEARS, 1, 1)
            latest = date(today.year + MILESTONE_PLAUSIBLE_YEARS, 12, 31)
            if not earliest <= self.due_on <= latest:
                errors["due_on"] = (
                    f"Due date must be between {earliest.year} and {latest.year}. Check the year"
                )
        if self.due_on and self.done_on:
            floor = self.due_on - timedelta(days=365 * MILESTONE_EARLY_YEARS)
            if self.done_on < floor:
                errors["done_on"] = (
                    f"Date done must be no more than {MILESTONE_EARLY_YEARS} years before the due "
                    f"date ({self.due_on:%-d %B %Y}). Check the year"
                )
        if errors:
            raise ValidationError(errors)


class Cohort(models.Model):
    """An intake of trainees on a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="For example, 'Cohort 1 (2026 intake)'.")
    intake_number = models.PositiveSmallIntegerField(default=1)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The expected end.")
    study_hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, default=7.5,
        help_text="Planned protected study hours a week for each trainee.",
    )
    lecturers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cohorts_taught"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme__title", "intake_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "intake_number"], name="cohort_unique_intake_per_programme"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="cohort_ends_after_it_starts",
                violation_error_message="The expected end must be after the start date.",
            ),
            models.CheckConstraint(
                condition=models.Q(study_hours_per_week__gte=0, study_hours_per_week__lte=40),
                name="cohort_study_hours_in_range",
                violation_error_message="Study hours a week must be between 0 and 40.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title}: {self.name}"

    def clean(self) -> None:
        """Refuse dates no real cohort has, next to the field, when they are entered or changed
        (a cohort kept for years is not refused for having started long ago): a start more
        than COHORT_PLAUSIBLE_YEARS from today or COHORT_PROGRAMME_SLACK_YEARS outside the span
        of the programme's milestones (a mistyped year, usually), and an expected end more than
        COHORT_LONGEST_YEARS after the start. An end before the start is the constraint's (and
        the form's) to say."""
        if not self.starts_on:
            return
        before = None
        if self.pk:
            before = Cohort.objects.filter(pk=self.pk).values("starts_on", "ends_on").first()
        errors = {}
        today = timezone.localdate()
        if before is None or before["starts_on"] != self.starts_on:
            earliest = date(today.year - COHORT_PLAUSIBLE_YEARS, 1, 1)
            latest = date(today.year + COHORT_PLAUSIBLE_YEARS, 12, 31)
            if not earliest <= self.starts_on <= latest:
                errors["starts_on"] = (
                    f"Start date must be between {earliest.year} and {latest.year}. Check the year"
                )
            elif self.programme_id:
                span = Milestone.objects.filter(programme_id=self.programme_id).aggregate(
                    first=models.Min("due_on"), last=models.Max("due_on")
                )
                if span["first"] is not None:
                    slack = timedelta(days=365 * COHORT_PROGRAMME_SLACK_YEARS)
                    if not span["first"] - slack <= self.starts_on <= span["last"] + slack:
                        errors["starts_on"] = (
                            f"Start date must be within {COHORT_PROGRAMME_SLACK_YEARS} years of the "
                            f"programme's milestones ({span['first']:%-d %B %Y} to "
                            f"{span['last']:%-d %B %Y}). Check the year"
                        )
        changed_end = before is None or before["ends_on"] != self.ends_on or before["starts_on"] != self.starts_on
        if self.ends_on and self.ends_on > self.starts_on and changed_end:
            longest = date(self.starts_on.year + COHORT_LONGEST_YEARS, self.starts_on.month, 1)
            if self.ends_on > longest:
                errors["ends_on"] = (
                    f"Expected end date must be within {COHORT_LONGEST_YEARS} years of the start "
                    f"date ({self.starts_on:%-d %B %Y}). Check the year"
                )
        if errors:
            raise ValidationError(errors)


class PartnershipQuerySet(models.QuerySet):
    def accepted(self) -> PartnershipQuerySet:
        return self.filter(status=Partnership.Status.ACCEPTED)


class Partnership(models.Model):
    """Another organisation working on a programme, by its own consent.

    The lead organisation proposes; the partner's training lead accepts or declines; either
    side may end it. Only an accepted partnership gives the partner's people anything: what is
    stated on it (see ``scope_statement``). Declined and ended rows are kept as history; asking
    again makes a new row.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnerships",
        help_text="The partner organisation.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    purpose = models.TextField(
        blank=True, help_text="What the partner would do: teach a cohort, assess, delegate tasks."
    )
    shares_cohorts = models.BooleanField(
        default=True, help_text="The partner sees the programme's cohorts and their dates."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["programme__title", "organisation__name", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                condition=models.Q(status__in=["proposed", "accepted"]),
                name="partnership_one_open_per_programme_and_organisation",
                violation_error_message="This organisation has already been asked to partner on this programme.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["proposed", "accepted", "declined", "ended"]),
                name="partnership_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.programme}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.ACCEPTED)

    @property
    def scope_statement(self) -> list[str]:
        """What the partner's people see while the partnership is accepted, in plain words."""
        lines = ["The programme: its aims, milestones and lead organisation."]
        if self.shares_cohorts:
            lines.append("Its cohorts and their dates; lecturers see the trainees of the cohorts they teach.")
        lines += [
            "Its registered practitioners see, and may assess, the lead organisation's trainees' "
            "evidence only for the competencies named on this partnership.",
            "Delegation records and supervision contacts that its own people are party to.",
            "Each side's own staff records stay its own: nothing else of the other side's people.",
        ]
        return lines
