"""Celery tasks of the competencies app: thin, they call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="competencies.sweep_expired_attainment", ignore_result=True)
def sweep_expired_attainment() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): announce competence whose validity ended."""
    from .assessment.services import attainment_sweep_expired

    return attainment_sweep_expired()
