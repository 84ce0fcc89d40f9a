"""Exports are put together by a Celery worker; most tests run the task in-process, and
tests/privacy/test_export_worker.py runs a real worker."""

from __future__ import annotations

import pytest


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run the export task in the test's own process. Not task_always_eager: Celery still
    opens a producer pool on the real broker for eager tasks, and that shared pool outlives the
    test (tests/reports/test_report_jobs.py swaps the broker under it)."""
    from privacy.tasks import build_export

    monkeypatch.setattr(build_export, "apply_async", lambda args, **options: build_export.apply(args=args))
