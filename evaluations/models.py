"""Staged evaluation of a programme, after account 003 in shared/domain: trainees interviewed
shortly after starting, mid-way and on qualification; their managers interviewed on their
expectations, their experience of the programme and its impact on the service; audits of
practice at key stages; service-user satisfaction from local ward surveys; and the findings
coded into themes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from programmes.models import ClinicalArea, Cohort, Organisation, Programme
from trainees.models import Enrolment


class Subject(models.TextChoices):
    TRAINEE = "trainee", "Trainee"
    MANAGER = "manager", "Manager"


class Instrument(models.Model):
    """A question set at one version. Editing one that has answers makes a new version (same
    ``family``); interviews keep the version they were answered with."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="instruments")
    family = models.SlugField(max_length=80, help_text="Groups the versions of one instrument.")
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "family", "version"], name="instrument_unique_version"
            ),
            models.UniqueConstraint(
                fields=["organisation", "family"], condition=models.Q(is_current=True),
                name="instrument_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Free text"
        SCALE = "scale", "Scale 1 to 5"
        YES_NO = "yes_no", "Yes or no"
        NUMBER = "number", "Number"
        CHOICE = "choice", "Choice"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=60, help_text="Stays the same across versions: the column name in exports."
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    scale_low_label = models.CharField(max_length=60, blank=True)  # what 1 means
    scale_high_label = models.CharField(max_length=60, blank=True)  # what 5 means
    choices = models.JSONField(default=list, blank=True)  # for kind=choice
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="question_unique_key")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ProgrammeStage(models.Model):
    """A stage of a programme's evaluation plan (defaults: start, mid-way, qualification);
    copied onto each cohort as a Stage with dates."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="evaluation_stages")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    weeks_after_start = models.PositiveSmallIntegerField(
        help_text="When the stage opens, in weeks after the cohort starts."
    )
    window_weeks = models.PositiveSmallIntegerField(default=4, help_text="How long it stays due.")
    trainee_instrument_family = models.SlugField(max_length=80, blank=True)
    manager_instrument_family = models.SlugField(max_length=80, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """An evaluation stage of one cohort, with its due window. Opening it creates the
    interviews that fall due."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="evaluation_stages")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    opens_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    trainee_instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    manager_instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cohort_id", "order", "opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("opens_on")), name="stage_due_after_opening",
                violation_error_message="The due date must be on or after the opening date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.name}: {self.name}"


class Interview(models.Model):
    """One interview at a stage: of a trainee (conducted by an interviewer) or of a manager
    (who may complete it themself)."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        DRAFT = "draft", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="interviews")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="interviews",
        help_text="For a trainee interview: whose.",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="manager_interviews", help_text="For a manager interview: whose.",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="interviews_owed",
        help_text="Who must get it done: the manager for their own interview, the evaluator otherwise.",
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="interviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField(null=True, blank=True)
    consent_to_quote = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=200, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage_id", "subject", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(subject="trainee", enrolment__isnull=False, manager__isnull=True)
                           | models.Q(subject="manager", manager__isnull=False, enrolment__isnull=True)),
                name="interview_has_its_subject",
            ),
            models.UniqueConstraint(
                fields=["stage", "enrolment"], condition=models.Q(subject="trainee"),
                name="interview_one_per_trainee_per_stage",
            ),
            models.UniqueConstraint(
                fields=["stage", "manager"], condition=models.Q(subject="manager"),
                name="interview_one_per_manager_per_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} interview, {self.stage}"


class Answer(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)  # text, choice, "yes"/"no", or the number as text
    number = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value[:40]}"


class Theme(models.Model):
    """A code in the programme's code list (job satisfaction, career progression, ...)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="theme_unique_name_per_programme")
        ]

    def __str__(self) -> str:
        return self.name


class Coding(models.Model):
    """An answer coded with a theme; optionally a quotable excerpt (only with consent)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codings")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="codings")
    excerpt = models.TextField(blank=True)
    is_quote = models.BooleanField(default=False)
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "theme"], name="coding_one_per_theme_per_answer")
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.excerpt[:40]}"


class AuditTool(models.Model):
    """E.g. a physical healthcare assessment audit, with its criteria."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="audit_tools")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuditCriterion(models.Model):
    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class AuditRound(models.Model):
    """One round of an audit on a ward at a stage: records sampled, and per criterion how many
    met it. Compliance = criteria met / (records sampled x criteria)."""

    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="rounds")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="audit_rounds")
    clinical_area = models.ForeignKey(ClinicalArea, on_delete=models.PROTECT, related_name="audit_rounds")
    stage_name = models.CharField(max_length=100, help_text="The programme stage, e.g. 'Mid-way'.")
    held_on = models.DateField()
    records_sampled = models.PositiveIntegerField()
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(records_sampled__gt=0), name="audit_round_samples_records"),
        ]

    def __str__(self) -> str:
        return f"{self.tool}, {self.clinical_area}, {self.stage_name}"


class AuditResult(models.Model):
    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(AuditCriterion, on_delete=models.PROTECT, related_name="results")
    records_met = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "criterion"], name="audit_result_one_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.records_met} met"


class SatisfactionResult(models.Model):
    """Service-user satisfaction on a ward for a period (e.g. a Productive Ward local survey)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="satisfaction_results")
    clinical_area = models.ForeignKey(ClinicalArea, on_delete=models.PROTECT, related_name="satisfaction_results")
    period_start = models.DateField()
    period_end = models.DateField()
    responses = models.PositiveIntegerField()
    score = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="Percentage of respondents satisfied (0–100)."
    )
    questions = models.TextField(blank=True, help_text="The questions asked, one per line.")
    source = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["period_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="satisfaction_period_in_order",
                                   violation_error_message="The period must end on or after it starts."),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100),
                                   name="satisfaction_score_is_a_percentage",
                                   violation_error_message="The score is a percentage from 0 to 100."),
            models.UniqueConstraint(fields=["programme", "clinical_area", "period_start"],
                                    name="satisfaction_one_per_ward_period"),
        ]

    def __str__(self) -> str:
        return f"{self.clinical_area}, {self.period_start:%b %Y}: {self.score}%"
