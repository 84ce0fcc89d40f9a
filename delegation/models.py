"""Partnerships' cross-organisation assessors, delegation records and supervision contacts.

- ``PartnershipCompetency``: a competency a partner's registered practitioners may assess on
  the lead organisation's trainees (the partnership names it; the lead organisation chooses).
- ``PractitionerRegistration``: marks a membership (a mentor / assessor or line manager) as a
  registered practitioner (a district nurse on the NMC register, a physiotherapist on the
  HCPC's): only they assess across organisations and delegate healthcare tasks.
- ``Delegation``: a registered practitioner delegates a task (a competency with
  ``is_delegated_task``) to a named care worker (a trainee record), for a setting or service
  (never a patient), from a date, with the supervision arrangement and a review date; the care
  worker acknowledges it. Suspended automatically when the worker's competence lapses.
- ``SupervisionContact``: the log of supervision against a delegation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from competencies.models import Competency
from core.status import StatusTag, tag_for
from programmes.models import Membership, Organisation, Partnership
from trainees.models import Trainee


class PartnershipCompetency(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="assessable_competencies"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["competency__short_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "competency"], name="partnership_competency_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency} ({self.partnership})"


class PractitionerRegistration(models.Model):
    class Register(models.TextChoices):
        NMC = "nmc", "Nursing and Midwifery Council (NMC)"
        HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
        OTHER = "other", "Other professional register"

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="practitioner_registration"
    )
    profession = models.CharField(
        max_length=100, help_text="For example, district nurse or physiotherapist."
    )
    register = models.CharField(max_length=10, choices=Register.choices)
    registration_number = models.CharField(max_length=30)
    # When the registration must be renewed (the NMC's and HCPC's renewal dates). Empty only
    # on rows recorded before the date was asked for; past it, the person is not treated as
    # registered (selectors.registration_of).
    expires_on = models.DateField("Registration expires on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership__user__last_name", "pk"]

    def __str__(self) -> str:
        return f"{self.membership.person_name}, {self.profession}"

    def is_current_on(self, day) -> bool:
        return self.expires_on is None or self.expires_on >= day


class Delegation(models.Model):
    """A suspended delegation is still in force (IN_FORCE): it stands until a practitioner or
    training lead reviews and ends it, so the task is not delegated to the worker again
    meanwhile (delegation_one_in_force_per_worker_and_task)."""

    IN_FORCE = ("awaiting", "active", "suspended")

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Waiting for the care worker to acknowledge"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        ENDED = "ended", "Ended"

    class Supervision(models.TextChoices):
        DIRECT = "direct", "Direct: the practitioner present"
        REMOTE = "remote", "Remote: the practitioner reachable by phone"
        PERIODIC = "periodic", "Periodic review visits"

    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="delegations")
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delegator_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="delegations",
        help_text="The partnership it rests on, when the practitioner is from a partner.",
    )
    setting = models.CharField(
        "setting or service", max_length=200,
        help_text="For example, Elm House nursing home, residents with diabetes. "
        "Never a patient's name or NHS number.",
    )
    starts_on = models.DateField("from")
    supervision = models.CharField(max_length=20, choices=Supervision.choices)
    supervision_detail = models.TextField(
        "supervision arrangement", help_text="Who supervises, how often, and how to escalate."
    )
    review_on = models.DateField("review date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_on__gt=models.F("starts_on")),
                name="delegation_review_after_start",
                violation_error_message="The review date must be after the start date.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["awaiting", "active", "suspended", "ended"]),
                name="delegation_status_valid",
            ),
            models.UniqueConstraint(
                fields=["trainee", "competency"],
                condition=models.Q(status__in=["awaiting", "active", "suspended"]),
                name="delegation_one_in_force_per_worker_and_task",
                violation_error_message="This task is already delegated to this care worker: "
                "end that delegation before delegating it again.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.name} delegated to {self.trainee}"

    @property
    def status_tag(self) -> StatusTag:
        """The status in words and tag colour (core.templatetags.components.status_tag)."""
        return tag_for(self, {"active": "green", "awaiting": "yellow", "suspended": "red"})

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.AWAITING, self.Status.ACTIVE)


class SupervisionContact(models.Model):
    class Mode(models.TextChoices):
        DIRECT = "direct", "Direct (in person)"
        REMOTE = "remote", "Remote (phone or video)"

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="contacts")
    occurred_on = models.DateField("date")
    mode = models.CharField("direct or remote", max_length=10, choices=Mode.choices)
    observed = models.TextField("what was observed")
    concerns = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"Supervision on {self.occurred_on}"
