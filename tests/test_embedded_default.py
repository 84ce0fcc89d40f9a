"""`make run`'s embedded default, SQLite, from nothing: the whole suite runs on PostgreSQL, so
without this a migration or a query that only PostgreSQL understands (SET CONSTRAINTS, an
advisory lock, REGEXP_REPLACE: each broke `make run` once) would pass every other test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ENV", "REDIS_URL")}
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**env, "DATABASE_URL": f"sqlite:///{database}"},
    )


def test_make_runs_database_migrates_and_takes_the_demo_on_sqlite(tmp_path):
    database = tmp_path / "ladder.sqlite3"
    migrated = _manage("migrate", "--verbosity", "0", database=database)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    seeded = _manage("seed_demo", database=database)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    assert "Demo logins" in seeded.stdout
    assert "nurse.eastvale" in seeded.stdout  # the cross-organisation demo, which broke it, is in
