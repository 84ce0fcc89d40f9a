"""Each person's reminder preferences, and the record of what a digest has already told them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReminderPreference(models.Model):
    """Which reminders a person gets, and how: as they happen, or one weekly digest (the
    default). No row: every kind, weekly."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "One weekly digest email"
        IMMEDIATE = "immediate", "As they happen"

    class Kind(models.TextChoices):
        INTERVIEWS = "interviews", "Interviews due"
        REVIEWS = "reviews", "Progress reviews, contracts and milestones"
        EXPIRING = "expiring", "Competence expiring"
        EVIDENCE = "evidence", "Evidence waiting for you"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    kinds = models.JSONField(default=list, blank=True, help_text="The Kind values chosen.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminders of user {self.user_id}: {self.frequency}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(self.Kind.choices)
        return [labels[k] for k in self.kinds if k in labels]

    @classmethod
    def default_kinds(cls) -> list[str]:
        return list(cls.Kind.values)


class DigestEntry(models.Model):
    """One item told to one person in the digest of one week: never told twice that week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week.")
    key = models.CharField(max_length=300, help_text="What the item is about (its link).")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week", "key"], name="digest_entry_once_a_week"),
        ]

    def __str__(self) -> str:
        return f"{self.key} told to user {self.user_id} in the week of {self.week}"
