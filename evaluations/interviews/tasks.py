"""Celery tasks for interviews. Thin: the work is in reminders.py.

Beat runs ``evaluations.send_interview_reminders`` daily (config/settings.py,
CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .reminders import interview_reminders_send


@shared_task(name="evaluations.send_interview_reminders", ignore_result=True)
def send_interview_reminders() -> int:
    """Email a weekly reminder for each interview that is due. Safe to run on several workers
    at once and more than once a day: nobody is reminded twice within a week."""
    return interview_reminders_send(timezone.now())
