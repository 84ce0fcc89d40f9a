"""Exports are put together by a Celery worker; most tests run the task in-process (eager),
and tests/privacy/test_export_worker.py runs a real worker."""

from __future__ import annotations

import pytest

from config.celery import app as celery_app


@pytest.fixture
def eager_tasks():
    # Celery's settings object cannot be monkeypatched (it has no attribute to delete after).
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
