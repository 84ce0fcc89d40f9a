"""Competency frameworks (Care Certificate, NHS KSF, Skills for Health NOS, an organisation's
own), mappings between them, the role profile a programme needs, and work-based evidence.

The shape follows Moodle's competency frameworks (so their CSV files import and export
unchanged): a framework has a scale and a tree of competencies; a competency may override the
scale; cross-references relate competencies of the same framework. Ladder adds versions (the
Care Certificate 2015 and 2025), mappings across frameworks, role profiles and evidence.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.status import StatusTag, tag_for
from programmes.models import Organisation, Programme


class Scale(models.Model):
    """Ordered values ("Not yet competent", "Competent"; or "Level 1".."Level 4"), each marked
    proficient or not. Levels are stored as a list of {"name": str, "proficient": bool}."""

    name = models.CharField(max_length=200)
    levels = models.JSONField()
    default_index = models.PositiveSmallIntegerField(default=0)
    moodle_scale_id = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> list[str]:
        return [level["name"] for level in self.levels]

    def is_proficient(self, index: int | None) -> bool:
        return index is not None and 0 <= index < len(self.levels) and bool(self.levels[index]["proficient"])

    @property
    def first_proficient_index(self) -> int:
        for index, level in enumerate(self.levels):
            if level["proficient"]:
                return index
        return len(self.levels) - 1


class Framework(models.Model):
    """A competency framework at one version. National frameworks have no organisation: every
    organisation reads them, only administrators change them. An organisation's own frameworks
    are changed by its training leads."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks",
        help_text="Empty for national frameworks shared by everyone.",
    )
    id_number = models.CharField("ID number", max_length=100)
    short_name = models.CharField(max_length=100)
    family = models.CharField(
        max_length=100, blank=True,
        help_text="Groups the versions of one framework, e.g. 'care-certificate'.",
    )
    version = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    description_format = models.PositiveSmallIntegerField(default=1)  # Moodle: 1 = HTML
    source = models.CharField(max_length=300, blank=True)
    licence_note = models.TextField(blank=True)
    source_note = models.TextField(
        blank=True, help_text="What is unverified in this framework's data, and why."
    )
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="frameworks")
    taxonomies = models.JSONField(default=list, blank=True)  # one term per depth, e.g. ["domain", "competency"]
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="How long a sign-off in this framework stays valid (empty: it does not expire). "
        "A competency can override it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["short_name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=models.Q(organisation__isnull=True),
                name="framework_unique_national_id_number",
                violation_error_message="A national framework with this ID number exists.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "id_number"], condition=models.Q(organisation__isnull=False),
                name="framework_unique_id_number_per_org",
                violation_error_message="Your organisation has a framework with this ID number.",
            ),
        ]

    def __str__(self) -> str:
        return self.label_of(self.short_name, self.version)

    @staticmethod
    def label_of(short_name: str, version: str) -> str:
        """str() of a framework from its two fields, for a read that has them without it."""
        return f"{short_name} ({version})" if version else short_name

    @property
    def is_national(self) -> bool:
        return self.organisation_id is None

    def taxonomy_for_depth(self, depth: int) -> str:
        return self.taxonomies[depth - 1] if 0 < depth <= len(self.taxonomies) else "competency"


_KSF_LEVEL = re.compile(r"^KSF-([A-Z]+[0-9]+)-L[0-9]+$")


def _ksf_dimensions() -> dict[str, str]:
    from .frameworks.data.ksf import DIMENSIONS

    return dict(DIMENSIONS)


class Competency(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    id_number = models.CharField("ID number", max_length=100)
    short_name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    description_format = models.PositiveSmallIntegerField(default=1)
    depth = models.PositiveSmallIntegerField(default=1)
    sort_order = models.PositiveIntegerField(default=0)
    scale = models.ForeignKey(
        Scale, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Overrides the framework's scale for this competency.",
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)  # Moodle cross-references
    # Moodle's completion rule and exported id, kept so a framework exports as it came in.
    rule_type = models.CharField(max_length=200, blank=True)
    rule_outcome = models.PositiveSmallIntegerField(default=0)
    rule_config = models.TextField(blank=True)
    exported_id = models.CharField(max_length=40, blank=True)
    source_note = models.CharField(max_length=300, blank=True)
    # Delegated healthcare tasks: what a ward manager needs to know before delegating one.
    is_delegated_task = models.BooleanField(default=False)
    # The validity period of a sign-off in months: overrides the framework's; for a delegated
    # task without one, the organisation's default (a year) applies.
    reassessment_months = models.PositiveSmallIntegerField(
        "valid for (months)", null=True, blank=True,
    )

    class Meta:
        verbose_name_plural = "competencies"
        ordering = ["framework_id", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "id_number"], name="competency_unique_id_number_per_framework",
                violation_error_message="This framework has a competency with this ID number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id_number} {self.name}"

    @property
    def name(self) -> str:
        """The name to show wherever a competency is named: a KSF level carries its dimension's
        name ("Health, safety and security: Level 2"), read from the bundled KSF data (no
        query)."""
        return self.name_of(self.id_number, self.short_name)

    @staticmethod
    def name_of(id_number: str, short_name: str) -> str:
        """``name`` from the two fields, for a read that has them without the competency."""
        match = _KSF_LEVEL.match(id_number)
        if match:
            dimension = _ksf_dimensions().get(match.group(1))
            if dimension and dimension not in short_name:
                return f"{dimension}: {short_name}"
        return short_name

    def effective_scale(self) -> Scale:
        return self.scale or self.framework.scale


class Mapping(models.Model):
    """A crosswalk entry: one competency corresponds to another in a different framework (e.g.
    a NOS unit to KSF HWB4 at level 2, or a trust's own competency to a Care Certificate
    standard). Shown on both sides. National mappings have no organisation."""

    class Strength(models.TextChoices):
        EQUIVALENT = "equivalent", "Equivalent"
        PARTIAL = "partial", "Partly covers"

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="mappings"
    )
    source = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="mappings_from")
    target = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="mappings_to")
    strength = models.CharField(max_length=20, choices=Strength.choices, default=Strength.EQUIVALENT)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "target"], name="mapping_unique_pair",
                violation_error_message="These competencies are already mapped.",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="mapping_not_to_itself",
                violation_error_message="A competency cannot be mapped to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.get_strength_display().lower()})"


class Course(models.Model):
    """Existing education an organisation already runs or buys, and what it covers: gap
    analysis counts these as reuse ("don't reinvent the education")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    covers = models.ManyToManyField(Competency, blank=True, related_name="courses")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleProfile(models.Model):
    """Which competencies the programme's role needs, and to what level."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="role_profile")
    summary = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Role profile: {self.programme}"


class RoleProfileItem(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", "Core"
        ROLE_SPECIFIC = "role_specific", "Role-specific"

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="profile_items")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORE)
    target_level = models.PositiveSmallIntegerField(
        help_text="Index into the competency's scale (0 = its first value)."
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competency"], name="role_profile_item_unique",
                violation_error_message="This competency is already in the role profile.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency} in {self.profile}"


class Evidence(models.Model):
    """A piece of work-based evidence a trainee submits against one or more competencies."""

    class Kind(models.TextChoices):
        OBSERVATION = "observation", "Observation"
        REFLECTIVE_ACCOUNT = "reflective_account", "Reflective account"
        WITNESS_TESTIMONY = "witness_testimony", "Witness testimony"
        WORK_PRODUCT = "work_product", "Work product"
        ASSESSMENT = "assessment", "Assessment"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for assessment"
        SIGNED_OFF = "signed_off", "Signed off"
        PROGRESS = "progress", "Progress recorded: not yet at target"
        RETURNED = "returned", "Returned for changes"

    # No index of its own: evidence_by_trainee_status leads with it. With both, PostgreSQL's
    # generic plan for a mentor's home page probed this one and read each mentee's every piece
    # of evidence to keep those waiting (0.5 ms for 200 mentees, against 0.3).
    trainee = models.ForeignKey("trainees.Trainee", on_delete=models.CASCADE, related_name="evidence", db_index=False)
    declaration = models.TextField(
        blank=True, help_text="The trainee's declaration as it read when they submitted (if the organisation set one).",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField("date")
    description = models.TextField()
    competencies = models.ManyToManyField(Competency, through="EvidenceClaim", related_name="evidence")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    # The assessor's organisation: the trainee's own, or a partner's on a joint programme (a
    # district nurse of a community trust signing off a care home's care worker).
    assessor_organisation = models.ForeignKey(
        "programmes.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["-occurred_on", "-pk"]
        # A mentor's or trainee's evidence in one status (waiting for assessment, returned):
        # a probe per trainee, where the trainee index alone made PostgreSQL read every piece
        # of evidence in the database and filter on status (issue #15).
        indexes = [models.Index(fields=["trainee", "status"], name="evidence_by_trainee_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def status_tag(self) -> StatusTag:
        """The status in words and tag colour (core.templatetags.components.status_tag)."""
        return tag_for(self, {"signed_off": "green", "progress": "yellow", "returned": "orange"}, default="blue")


class EvidenceClaim(models.Model):
    """The evidence claims this competency; on sign-off the assessor awards a level."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="claims")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="claims")
    level_awarded = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence", "competency"], name="evidence_claim_unique")
        ]

    def __str__(self) -> str:
        return f"{self.evidence} claims {self.competency}"


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    # A random name: the original stays in original_name; nothing guessable on disk.
    return f"evidence/{instance.evidence.trainee_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class EvidenceFile(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class EvidenceComment(models.Model):
    """The thread on a piece of evidence: assessors' decisions and comments, trainees' replies."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        SIGNED_OFF = "signed_off", "Signed off"
        PROGRESS = "progress", "Progress recorded"
        RETURNED = "returned", "Returned"
        REPLY = "reply", "Reply"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.evidence}"

    @property
    def status_tag(self) -> StatusTag:
        """The entry's kind as a tag in the thread (core.templatetags.components.status_tag)."""
        if self.kind == self.Kind.PROGRESS:
            return StatusTag("Progress recorded: not yet at target", "yellow")
        return tag_for(self, {"signed_off": "green", "returned": "orange", "reply": "white"}, field="kind")


DEFAULT_REASSESSMENT = timedelta(days=365)
DEFAULT_DELEGATED_TASK_MONTHS = 12


class AssessmentPolicy(models.Model):
    """What an organisation asks of its assessors and trainees when competence is signed off:
    the statement an assessor confirms, the trainee's declaration, and how long a delegated
    task's sign-off stays valid when the task says nothing itself. Each sign-off stores the
    statements as they read at that moment (AttainmentDecision.statement, .declaration)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="assessment_policy"
    )
    assessor_statement = models.TextField(
        blank=True,
        help_text="What an assessor confirms when signing off, e.g. \u201cI have observed the "
        "trainee perform this safely on at least three occasions.\u201d",
    )
    trainee_declaration = models.TextField(
        blank=True, help_text="What a trainee declares when rating themself.",
    )
    delegated_task_validity_months = models.PositiveSmallIntegerField(
        default=DEFAULT_DELEGATED_TASK_MONTHS,
        help_text="How long the sign-off of a delegated task stays valid unless the task says otherwise.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "assessment policies"

    def __str__(self) -> str:
        return f"Assessment policy of organisation {self.organisation_id}"


class SelfAssessment(models.Model):
    """A trainee's rating of themself in one competency, waiting for their assessor, who
    confirms it (at the level or lower, with a comment) or asks for more evidence. A new rating
    after that is a new row: none is ever changed but for its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for your assessor"
        CONFIRMED = "confirmed", "Confirmed"
        CORRECTED = "corrected", "Confirmed at a lower level"
        MORE_EVIDENCE = "more_evidence", "More evidence asked for"

    trainee = models.ForeignKey("trainees.Trainee", on_delete=models.CASCADE, related_name="self_assessments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="self_assessments")
    level = models.PositiveSmallIntegerField(help_text="Index into the competency's scale.")
    confidence = models.TextField("how confident you feel", blank=True)
    declaration = models.TextField(blank=True, help_text="The trainee's declaration as it read.")
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="self_assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_level = models.PositiveSmallIntegerField(null=True, blank=True)
    assessor_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="self_assessment_queue")]

    def __str__(self) -> str:
        return f"Self-assessment {self.pk}: competency {self.competency_id} of trainee {self.trainee_id}"

    @property
    def status_tag(self) -> StatusTag:
        """The status in words and tag colour (core.templatetags.components.status_tag)."""
        return tag_for(self, {"pending": "blue", "more_evidence": "orange"}, default="green")


class AttainmentDecision(models.Model):
    """One version of a trainee's attainment in a competency: a sign-off, a progress record
    below the target, a confirmation or correction of a self-assessment, a reassessment, a
    withdrawal, or the trainee's own rating. Never changed once written (but for the sweep's
    note that its expiry was announced, and the current version's last valid day when a lead
    changes the competency's validity period: assessment.services.attainment_validity_refresh,
    audited): the newest decision other than a self-rating is the current attainment."""

    class Kind(models.TextChoices):
        SELF_RATED = "self_rated", "Self-assessment"
        SIGNED_OFF = "signed_off", "Signed off"
        PROGRESS = "progress", "Progress recorded: not yet at target"
        CONFIRMED = "confirmed", "Self-assessment confirmed"
        CORRECTED = "corrected", "Self-assessment confirmed at a lower level"
        REASSESSED = "reassessed", "Reassessed"
        WITHDRAWN = "withdrawn", "Sign-off withdrawn"

    trainee = models.ForeignKey("trainees.Trainee", on_delete=models.CASCADE, related_name="attainment_decisions")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="attainment_decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Index into the competency's scale.")
    target_level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The target when decided.")
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="attainment_decisions"
    )
    self_assessment = models.ForeignKey(
        SelfAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    statement = models.TextField(blank=True, help_text="The assessor's statement as it read then.")
    declaration = models.TextField(blank=True, help_text="The trainee's declaration as it read then.")
    comment = models.TextField(blank=True, help_text="Why: a correction's or a withdrawal's reason.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organisation the person deciding acted for, as it was then: the trainee's, or a
    # partner's (a district nurse of a community trust signing off a care home's care worker).
    assessor_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateField(null=True, blank=True)
    expiry_announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(fields=["trainee", "competency", "-decided_at"], name="attainment_decision_latest"),
            models.Index(fields=["valid_until"], name="attainment_decision_expiry"),
            # What is expiring for the trainees a mentor, manager or trainee sees (their home
            # pages: assessment.selectors.expiring_for): a probe of each trainee's versions
            # valid until the window's end, where the trainee's index alone read every version
            # they have (1 ms for a manager's 200 trainees, none of it expiring).
            models.Index(fields=["trainee", "valid_until"], name="attainment_decision_expiring"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="withdrawn") | models.Q(level__isnull=False),
                name="attainment_decision_has_level",
                violation_error_message="Choose a level.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.competency_id} for {self.trainee_id}"


class CurrentAttainment(models.Model):
    """The current version of each (trainee, competency) pair's attainment (the newest
    AttainmentDecision that is not a self-rating) with its facts copied: what the cohort
    matrix, its totals and the reports read, where picking the newest of every pair's versions
    cost more than the rest of the page (issue #15).

    Kept by the database, never by Python: triggers on AttainmentDecision (migration 0008)
    work the pair out again whenever a version is added, changed or deleted, whatever wrote it
    (the services, ``bulk_create``, ``update()``, a migration, psql), in the same transaction.
    Only facts are stored (level, kind, valid until), never a status: whether a version has
    expired depends on the day it is read (competencies.validity.status_of)."""

    # DO_NOTHING: the triggers remove or repoint the row when its decisions go (before the
    # deferred foreign-key checks at commit), so Django's deletion never has to look here.
    # The trainee has no index of its own: the unique pair leads with it.
    trainee = models.ForeignKey("trainees.Trainee", on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    competency = models.ForeignKey(Competency, on_delete=models.DO_NOTHING, related_name="+")
    decision = models.ForeignKey(AttainmentDecision, on_delete=models.DO_NOTHING, related_name="+")
    kind = models.CharField(max_length=20, choices=AttainmentDecision.Kind.choices)
    level = models.PositiveSmallIntegerField(null=True)
    target_level = models.PositiveSmallIntegerField(null=True)
    decided_at = models.DateTimeField()
    valid_until = models.DateField(null=True)

    class Meta:
        # The pair, unique, is also what every read looks up: a cohort's trainees (a nested loop
        # over them: 10,000 pairs of 200 trainees in about 4 ms) in the profile's competencies.
        # On PostgreSQL an index of the pair also carries level, kind, valid_until and
        # target_level (migration 0009, current_attainment_counted: SQLite has no INCLUDE), so
        # the matrix's totals and cells read it alone.
        constraints = [
            models.UniqueConstraint(fields=["trainee", "competency"], name="current_attainment_one_per_pair"),
        ]

    def __str__(self) -> str:
        return f"Current attainment of trainee {self.trainee_id} in competency {self.competency_id}"
