"""`make run`'s embedded default, SQLite, from nothing: the whole suite runs on PostgreSQL, so
without this a migration or a query that only PostgreSQL understands (SET CONSTRAINTS, an
advisory lock, REGEXP_REPLACE: each broke `make run` once) would pass every other test."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ENV", "REDIS_URL")}
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**env, "DATABASE_URL": f"sqlite:///{database}"},
    )


@dataclass
class SeededSqlite:
    database: Path
    migrated: subprocess.CompletedProcess
    seeded: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def seeded_sqlite(tmp_path_factory) -> SeededSqlite:
    """One SQLite database migrated from nothing and seeded, as `make run` does, for the
    module: migrating and seeding in subprocesses is most of these tests' time, and the page
    walk below only reads what the seeding made."""
    database = tmp_path_factory.mktemp("embedded") / "ladder.sqlite3"
    migrated = _manage("migrate", "--verbosity", "0", database=database)
    seeded = _manage("seed_demo", database=database) if migrated.returncode == 0 else None
    return SeededSqlite(database, migrated, seeded)


def test_make_runs_database_migrates_and_takes_the_demo_on_sqlite(seeded_sqlite):
    migrated, seeded = seeded_sqlite.migrated, seeded_sqlite.seeded
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    assert "Demo logins" in seeded.stdout
    assert "nurse.eastvale" in seeded.stdout  # the cross-organisation demo, which broke it, is in


# Each demo role opens the pages whose queries were written for PostgreSQL's planner (a LATERAL
# join, `= ANY(array)`, window counts), each with a portable form for SQLite: an error is a
# traceback here, as `make run` would show it.
_PAGES_SCRIPT = """
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from programmes.models import Cohort

cohort = Cohort.objects.order_by("pk").first()
paths = ["/", "/due/", "/programmes/", "/trainees/", "/evidence/", "/delegations/", "/frameworks/",
         "/people/", "/reports/", "/api/v1/enrolments/", "/api/v1/attainments/",
         reverse("trainees:cohort_detail", args=[cohort.pk]), reverse("evidence:matrix", args=[cohort.pk]),
         reverse("findings:cohort_findings", args=[cohort.pk])]
for username in ("lead.westmoor", "manager.westmoor", "mentor.westmoor", "lecturer.westmoor",
                 "planner.westmoor", "trainee.westmoor", "nurse.eastvale", "carer.elmhouse"):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    for path in paths:
        print(username, path, client.get(path).status_code)
"""


def test_every_role_opens_the_busiest_pages_on_sqlite(seeded_sqlite):
    assert seeded_sqlite.migrated.returncode == 0 and seeded_sqlite.seeded.returncode == 0
    opened = _manage("shell", "-c", _PAGES_SCRIPT, database=seeded_sqlite.database)
    assert opened.returncode == 0, opened.stderr[-3000:]
    statuses = [line.rsplit(" ", 1)[-1] for line in opened.stdout.splitlines() if line.count(" ") == 2]
    assert len(statuses) == 8 * 14
    assert not [s for s in statuses if s.startswith("5")], opened.stdout
    assert statuses.count("200") > len(statuses) // 2  # most are the person's own pages, not refusals


# competencies.CurrentAttainment is kept by triggers, SQLite's own (one a row) on the embedded
# default: after the demo (sign-offs, reassessments, withdrawals, versions moved back in time)
# it says what the decisions say, and it follows a bulk insert, update() and delete(), undone
# after.
_CURRENT_SCRIPT = """
from datetime import timedelta
from django.db import transaction
from competencies.models import AttainmentDecision, CurrentAttainment
from tests.evidence.current_attainment import mismatches

print("demo", CurrentAttainment.objects.count(), len(mismatches()))
with transaction.atomic():
    some = AttainmentDecision.objects.exclude(kind="self_rated").order_by("pk")[:3]
    for d in some:
        AttainmentDecision.objects.create(
            trainee_id=d.trainee_id, competency_id=d.competency_id, kind="progress", level=0,
            decided_at=d.decided_at + timedelta(days=1))
    print("inserted", len(mismatches()))
    AttainmentDecision.objects.filter(pk=some[0].pk).update(decided_at=some[0].decided_at + timedelta(days=2))
    AttainmentDecision.objects.filter(pk=some[1].pk).update(kind="self_rated")
    print("updated", len(mismatches()))
    AttainmentDecision.objects.filter(pk__in=[d.pk for d in some]).delete()
    print("deleted", len(mismatches()))
    transaction.set_rollback(True)
"""


def _kept_table_checked(seeded_sqlite, script: str) -> tuple[int, int, list[str], str]:
    """Run a check of a table kept by SQLite triggers in the seeded demo database: (rows
    checked, mismatches in the demo, mismatches after inserts, updates and deletes, output)."""
    assert seeded_sqlite.migrated.returncode == 0 and seeded_sqlite.seeded.returncode == 0
    checked = _manage("shell", "-c", script, database=seeded_sqlite.database)
    assert checked.returncode == 0, checked.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in checked.stdout.splitlines() if " " in line)
    count, wrong = map(int, lines["demo"].split())
    return count, wrong, [lines["inserted"], lines["updated"], lines["deleted"]], checked.stdout


def test_the_current_attainment_follows_the_decisions_on_sqlite(seeded_sqlite):
    count, wrong, after_writes, output = _kept_table_checked(seeded_sqlite, _CURRENT_SCRIPT)
    assert count > 20 and wrong == 0, output
    assert after_writes == ["0", "0", "0"], output


# trainees.EnrolmentFigures on SQLite (migration 0004's row triggers): the demo's figures, then
# after writes of each kind, are those the subqueries work out.
_FIGURES_SCRIPT = """
from datetime import date
from decimal import Decimal
from django.db import transaction
from trainees.models import ContractSignature, Enrolment, ProgressReview, StudySession
from trainees.selectors import signers_of, with_hours_taken, with_kept_figures, with_last_review, with_signers

def mismatches():
    fields = ("pk", "last_review_on", "hours_taken", "signers")
    def figures(rows):
        return {r["pk"]: (r["last_review_on"], r["hours_taken"], signers_of(r["signers"])) for r in rows}
    kept = figures(with_kept_figures(Enrolment.objects.order_by()).values(*fields))
    worked_out = figures(with_signers(with_hours_taken(with_last_review(Enrolment.objects.order_by()))).values(*fields))
    return [pk for pk in worked_out if kept.get(pk) != worked_out[pk]]

print("demo", Enrolment.objects.count(), len(mismatches()))
with transaction.atomic():
    some = list(Enrolment.objects.order_by("pk")[:3])
    StudySession.objects.bulk_create([
        StudySession(enrolment=e, date=date(2026, 5, 4), hours=Decimal("2.5")) for e in some])
    ProgressReview.objects.bulk_create([ProgressReview(enrolment=e, held_on=date(2026, 5, 5)) for e in some])
    print("inserted", len(mismatches()))
    StudySession.objects.filter(enrolment=some[0]).update(outcome="lost", lost_reason="sickness")
    ProgressReview.objects.filter(enrolment=some[1]).update(enrolment=some[2])
    print("updated", len(mismatches()))
    StudySession.objects.filter(enrolment__in=some).delete()
    ContractSignature.objects.filter(contract__enrolment__in=some).delete()
    print("deleted", len(mismatches()))
    transaction.set_rollback(True)
"""


def test_the_enrolment_figures_follow_their_rows_on_sqlite(seeded_sqlite):
    count, wrong, after_writes, output = _kept_table_checked(seeded_sqlite, _FIGURES_SCRIPT)
    assert count > 5 and wrong == 0, output
    assert after_writes == ["0", "0", "0"], output
