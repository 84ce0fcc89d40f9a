"""Fixtures for the bulk enrolment import: uploaded files go to a temporary folder."""

from __future__ import annotations

import uuid

import pytest

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def own_queue():
    """Send the jobs to, and have the worker consume only, a queue of this test's own: the
    Redis of a development machine is shared with other test runs and their workers."""
    queue = f"ladder-test-import-{uuid.uuid4().hex[:12]}"
    default = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = default
    celery_app.amqp.queues._consume_from = None  # start_worker(queues=...) narrowed it
