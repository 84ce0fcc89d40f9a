"""The ground floor's one model: words saved but not yet submitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormDraft(models.Model):
    """A form saved with "Save as draft": its fields as typed (no validation), for the one
    person who typed them, until they submit it (the draft is then deleted) or discard it.
    Nothing is submitted, notified or shown to anyone else. Files are not kept.

    ``key`` names the form and what it is about ("evidence:new:trainee-5",
    "review:enrolment-9"); ``url`` is where it is reopened; ``title`` what lists show."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    data = models.JSONField(default=dict, help_text="Each field's values, as the form sent them.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="form_draft_one_per_form")]

    def __str__(self) -> str:
        return f"Draft {self.key} of user {self.user_id}"


class DataVersion(models.Model):
    """One row whose ``version`` PostgreSQL itself moves on when any transaction that wrote to
    Ladder's tables commits (core/data_version.py installs the triggers): what cached page
    fragments are keyed on, so that no write, by any path, leaves one out of date."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Data version {self.version}"
