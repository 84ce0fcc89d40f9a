"""Errors services raise that every app's views handle the same way."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class StaleEdit(ValidationError):
    """Someone else saved the record after the form was drawn from it: this save is refused
    (the message says what to do). Services raise it when the version or fingerprint a form
    carried no longer matches; views show it at the top of the form."""
