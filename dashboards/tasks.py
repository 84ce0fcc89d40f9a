"""Celery tasks of the dashboards: thin, they call digest.py."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dashboards.send_weekly_digest", ignore_result=True)
def send_weekly_digest() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): one digest email per person; never an item twice a week."""
    from .digest import digests_send

    return digests_send()
