"""Celery task for subject access exports: a thin wrapper around services.export_build."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="privacy.build_export", acks_late=True, reject_on_worker_lost=True)
def build_export(event_id: int) -> str:
    """Idempotent: an export already finished is left alone; one whose worker died mid-way
    (acks late: the task comes back) is put together again from the start."""
    event = services.export_build(event_id=event_id)
    return "already finished" if event is None else event.status
