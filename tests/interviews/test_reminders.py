"""The weekly reminder emails, through the real Celery app: one email per due interview, none
for done or cancelled ones, none twice in a week, one again after 7 days. They go to people who
chose interview reminders "as they happen" (the others have them in their weekly digest:
tests/dashboards/test_reminder_choices.py)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date, timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app as celery_app
from dashboards.digest import reminder_preference_set
from evaluations.interviews import services
from evaluations.interviews.tasks import send_interview_reminders
from evaluations.models import Interview
from programmes.models import Role

from .conftest import add_manager, add_trainee

TASK = "evaluations.send_interview_reminders"


def _set_up(world, lead, midway):
    """Four trainee interviews (the lead's) and two manager interviews; one done, one cancelled."""
    second = add_manager(world, 2)
    add_trainee(world, 1)
    add_trainee(world, 2, manager=second)
    gone = add_trainee(world, 3)
    services.stage_open(stage=midway, actor=lead)
    done = Interview.objects.get(stage=midway, manager=second)
    services.interview_save(interview=done, actor=second, held_on=date(2026, 11, 2), complete=True, answers={
        "expectations": "a", "experience": "b", "impact_on_service": "c", "cover_difficulty": 3})
    services.interviews_cancel_for_enrolment(enrolment=gone, reason="Withdrew", actor=lead)
    pending = Interview.objects.filter(status__in=("due", "draft"))
    _as_they_happen()
    return list(pending.order_by("pk"))


def _as_they_happen():
    """Everyone chooses every reminder as it happens (the default is the weekly digest)."""
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        reminder_preference_set(user=user, frequency="immediate", kinds=["interviews"])


def _recipients_by_interview(pending) -> dict[int, str]:
    return {i.pk: i.responsible.email for i in pending}


def test_the_task_is_registered_under_its_beat_name():
    assert celery_app.tasks[TASK] is send_interview_reminders or celery_app.tasks[TASK].name == TASK


def test_one_email_per_due_interview_and_none_for_done_or_cancelled(world, lead, midway, settings):
    settings.LADDER_BASE_URL = "https://ladder.example.nhs.uk"
    pending = _set_up(world, lead, midway)
    assert len(pending) == 4  # Sam, trainees 1 and 2, and the first manager

    send_interview_reminders.apply().get()

    assert len(mail.outbox) == 4
    links = sorted(m.body.split("Open the interview:\n")[1].split("\n")[0] for m in mail.outbox)
    assert links == sorted(f"https://ladder.example.nhs.uk/interviews/{i.pk}/" for i in pending)
    to_lead = [m for m in mail.outbox if m.to == [lead.email]]
    assert len(to_lead) == 3
    to_manager = [m for m in mail.outbox if m.to == [world.person(Role.MANAGER).email]]
    assert to_manager[0].subject.startswith("Interview due by")
    assert "Your manager interview: Mid-way" in to_manager[0].subject
    assert all(i.last_reminded_at for i in Interview.objects.filter(pk__in=[p.pk for p in pending]))
    assert not Interview.objects.filter(status__in=("done", "cancelled"), last_reminded_at__isnull=False).exists()


def test_no_one_is_reminded_twice_in_a_week_and_again_after_seven_days(world, lead, midway):
    from evaluations.interviews.reminders import interview_reminders_send

    pending = _set_up(world, lead, midway)
    now = timezone.now()
    assert interview_reminders_send(now) == len(pending)
    assert interview_reminders_send(now + timedelta(days=1)) == 0
    assert interview_reminders_send(now + timedelta(days=6, hours=23)) == 0
    assert interview_reminders_send(now + timedelta(days=7)) == len(pending)
    assert len(mail.outbox) == 2 * len(pending)


def test_closed_stages_and_drafts(world, lead, midway):
    from evaluations.interviews.reminders import interview_reminders_send

    services.stage_open(stage=midway, actor=lead)
    interview = Interview.objects.get(stage=midway, enrolment=world.enrolment)
    services.interview_save(interview=interview, actor=lead, answers={"going_well": "Half done"})
    _as_they_happen()
    assert interview_reminders_send() == 2
    assert any("You have saved a draft" in m.body for m in mail.outbox)
    services.stage_close(stage=midway, actor=lead)
    assert interview_reminders_send(timezone.now() + timedelta(days=8)) == 0


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_the_beat_job_runs_on_a_real_worker(world, lead):
    midway = services.stages_create_defaults(cohort=world.cohort, actor=lead)[1]
    pending = _set_up(world, lead, midway)
    finished: list[str] = []

    def _finished(sender=None, task_id=None, **kwargs):
        if sender is not None and sender.name == TASK:
            finished.append(task_id)

    # A queue of its own, so no other worker on this Redis can take the job. Results are not
    # kept (ignore_result), so the test hears the worker finish through Celery's own signal.
    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    task_postrun.connect(_finished, weak=False)
    try:
        with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING", queues=[queue]):
            send_interview_reminders.apply_async(queue=queue)
            _wait_for(lambda: len(finished) == 1)
            assert len(mail.outbox) == len(pending)
            # The next day's run (and a second one straight after) sends nothing more.
            send_interview_reminders.apply_async(queue=queue)
            send_interview_reminders.apply_async(queue=queue)
            _wait_for(lambda: len(finished) == 3)
    finally:
        task_postrun.disconnect(_finished)
    assert len(mail.outbox) == len(pending)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.responsible.email for i in pending)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_send_the_same_reminder(world, lead):
    """While one run holds some rows (its transaction still open), another run skips them and
    sends the rest; the rows are sent once the first lets go, and only then."""
    from evaluations.interviews.reminders import interview_reminders_send

    midway = services.stages_create_defaults(cohort=world.cohort, actor=lead)[1]
    pending = _set_up(world, lead, midway)
    held = pending[0]
    sent_meanwhile: list[int] = []

    def other_worker():
        try:
            sent_meanwhile.append(interview_reminders_send())
        finally:
            connection.close()

    with transaction.atomic():
        Interview.objects.select_for_update().get(pk=held.pk)  # "the first worker" holds it
        thread = threading.Thread(target=other_worker)
        thread.start()
        thread.join(timeout=30)
    assert sent_meanwhile == [len(pending) - 1]
    assert interview_reminders_send() == 1  # now the held one
    assert interview_reminders_send() == 0
    assert len(mail.outbox) == len(pending)
