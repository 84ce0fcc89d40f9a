"""The wiring that must be in place when Ladder starts (web and Celery worker alike): the
signal receivers connected and the reminder task registered. Checked in a fresh process, since
this test session imports the modules itself (tests/interviews/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import django
django.setup()
from trainees.signals import enrolment_status_changed
from config.celery import app
app.loader.import_default_modules()
receivers = [r[0][0] for r in enrolment_status_changed.receivers]
assert "evaluations.interviews.enrolment_status_changed" in receivers, (
    "evaluations/apps.py ready() must import evaluations.interviews.receivers")
assert "evaluations.send_interview_reminders" in app.tasks, (
    "evaluations/apps.py ready() must import evaluations.interviews.tasks")
print("ok")
"""


def test_receivers_and_task_are_wired_at_startup():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
