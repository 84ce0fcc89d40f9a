"""The Celery app. Its configuration lives in config/settings.py under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ladder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules inside feature packages (not apps themselves), which autodiscovery misses.
app.autodiscover_tasks(["trainees.enrolment_import", "evaluations.interviews"])


def _add_worker_presence() -> None:
    # Imported late: config.worker_presence reads Django settings.
    from config.worker_presence import WorkerPresence

    app.steps["worker"].add(WorkerPresence)


_add_worker_presence()


@app.task(name="config.celery.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """A beat-scheduled no-op: its arrival in the worker log shows beat and worker are alive."""
    return "ok"
