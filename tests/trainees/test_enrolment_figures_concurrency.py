"""trainees.EnrolmentFigures when two transactions write one enrolment's rows at once
(PostgreSQL; the embedded SQLite has one writer at a time): the figures have both writes,
whichever commits last. In their own module, as these tests commit."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from trainees.models import EnrolmentFigures, ProgressReview, StudySession

from .test_enrolment_figures import assert_kept

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer at a time on SQLite")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [True, False], ids=["enrolment-with-figures", "first-figures"])
def test_two_writers_both_count_whichever_commits_last(world, existing):
    """A records a session and holds its transaction open; B records another meanwhile (its
    trigger waits for A's figures); A commits, then B: the hours are both sessions'."""
    enrolment = world.enrolment
    if existing:
        ProgressReview.objects.create(enrolment=enrolment, held_on=date(2026, 3, 2))
    a_written, a_may_commit, b_done = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def writer(hours: str, before_commit=None, wait_for=None):
        try:
            if wait_for:
                wait_for.wait(10)
            with transaction.atomic():
                StudySession.objects.create(enrolment=enrolment, date=date(2026, 2, 2), hours=Decimal(hours))
                if before_commit:
                    before_commit()
        except Exception as exc:  # noqa: BLE001 (reported below, in the test's thread)
            errors.append(exc)
        finally:
            connection.close()

    def a_holds():
        a_written.set()
        a_may_commit.wait(10)

    a = threading.Thread(target=writer, args=("2.0", a_holds))
    b = threading.Thread(target=writer, args=("3.5", b_done.set, a_written))
    a.start()
    b.start()
    time.sleep(0.5)  # B is now waiting on A's figures
    assert not b_done.is_set(), "B's trigger should wait for A's transaction"
    a_may_commit.set()
    a.join(10)
    b.join(10)
    assert not errors, errors
    assert EnrolmentFigures.objects.get(enrolment=enrolment).hours_taken == Decimal("5.5")
    assert_kept()
