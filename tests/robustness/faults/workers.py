"""Real Celery workers as subprocesses, so a test can kill one outright (SIGKILL) as the OOM
killer or a lost machine would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[3]


def this_runs_database_url() -> str:
    """The URL of the database this test run uses (pytest-django's test_ database), so the
    worker sees the committed data of a transactional test."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(log: Path, *, pool: str = "solo", **env: str) -> subprocess.Popen:
    """A worker on this run's queue, in its own process group (so killing it kills its pool)."""
    environment = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": this_runs_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "-Q", celery_app.conf.task_default_queue, f"--pool={pool}", "--concurrency=1",
        "--without-mingle", "--without-gossip", "--loglevel=INFO",
        "-n", f"robust-{os.getpid()}-{time.monotonic_ns()}@%h",
    ]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=environment, start_new_session=True,
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and every process of its group: no chance to hand anything back."""
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.wait(timeout=10)


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        try:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            kill(worker)


def wait_until(condition, *, seconds: float, what: str, poll: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"not {what} after {seconds}s")


def children(pid: int) -> list[int]:
    """Process ids whose parent is pid (Linux /proc; no extra package needed)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
