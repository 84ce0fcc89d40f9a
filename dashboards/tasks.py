"""Celery tasks of the dashboards: thin, they call digest.py."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dashboards.send_weekly_digest", ignore_result=True)
def send_weekly_digest() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): one digest email per person; never an item twice a week."""
    from .digest import digests_send

    return digests_send()


@shared_task(name="dashboards.send_reminders_as_they_happen", ignore_result=True)
def send_reminders_as_they_happen() -> int:
    """Through the day (CELERY_BEAT_SCHEDULE): an email per new item for the people who chose
    reminders as they happen; never an item twice a week."""
    from .reminders import reminders_send_as_they_happen

    return reminders_send_as_they_happen()
