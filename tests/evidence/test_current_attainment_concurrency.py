"""competencies.CurrentAttainment when two transactions write versions of one pair at once
(PostgreSQL; the embedded SQLite has one writer at a time): the newest version is current,
whichever transaction commits last. In their own module, as these tests commit."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from competencies.models import AttainmentDecision, CurrentAttainment

from .current_attainment import mismatches

Kind = AttainmentDecision.Kind
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer at a time on SQLite")


def _current(trainee, competency) -> CurrentAttainment | None:
    return CurrentAttainment.objects.filter(trainee=trainee, competency=competency).first()


def _two_writers(world, competency, *, first_newer: bool, existing: bool) -> tuple[int, int]:
    """Transaction A adds a version and holds its transaction open; B adds another of the same
    pair meanwhile (its trigger waits for A's row); A commits, then B. ``first_newer``: A's
    version is the newer by the moment decided (so B, committing last, must not win just for
    that). Returns (A's decision, B's decision)."""
    base = timezone.now() - timedelta(hours=5)
    if existing:
        AttainmentDecision.objects.create(trainee=world.trainee, competency=competency, kind=Kind.PROGRESS,
                                          level=0, decided_at=base)
    a_inserted, a_may_commit, b_done = threading.Event(), threading.Event(), threading.Event()
    made, errors = {}, []

    def writer(name: str, hours: int, before_commit=None, wait_for=None):
        try:
            if wait_for:
                wait_for.wait(10)
            with transaction.atomic():
                made[name] = AttainmentDecision.objects.create(
                    trainee=world.trainee, competency=competency, kind=Kind.SIGNED_OFF, level=1,
                    decided_at=base + timedelta(hours=hours),
                ).pk
                made[name + " written"] = time.monotonic()
                if before_commit:
                    before_commit()
            made[name + " committed"] = time.monotonic()
        except Exception as exc:  # noqa: BLE001 (reported below, in the test's thread)
            errors.append(exc)
        finally:
            connection.close()

    def a_holds():
        a_inserted.set()
        a_may_commit.wait(10)

    a = threading.Thread(target=writer, args=("A", 2 if first_newer else 1, a_holds))
    b = threading.Thread(target=writer, args=("B", 1 if first_newer else 2, b_done.set, a_inserted))
    a.start()
    b.start()
    time.sleep(0.5)  # B is now waiting on A's row
    assert not b_done.is_set(), "B's trigger should wait for A's transaction"
    a_may_commit.set()
    a.join(10)
    b.join(10)
    assert not errors, errors
    assert made["B written"] >= made["A committed"] - 0.01  # B's write finished only after A committed
    return made["A"], made["B"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [True, False], ids=["pair-with-a-version", "new-pair"])
def test_two_writers_the_newest_wins_not_the_last_to_commit(world, frameworks, existing):
    newer, older = _two_writers(world, frameworks.escalation, first_newer=True, existing=existing)
    assert _current(world.trainee, frameworks.escalation).decision_id == newer != older
    assert mismatches() == {}


@pytest.mark.django_db(transaction=True)
def test_two_writers_the_later_committed_newer_wins(world, frameworks):
    older, newer = _two_writers(world, frameworks.escalation, first_newer=False, existing=True)
    assert _current(world.trainee, frameworks.escalation).decision_id == newer != older
    assert mismatches() == {}
