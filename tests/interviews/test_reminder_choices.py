"""Each person's reminder choice holds for every reminder Ladder sends: the weekly digest (the
default) replaces the daily per-item emails; "as they happen" sends one email per item of each
kind ticked and no digest; an unticked kind is never sent; nobody hears of the same item twice
in a week, whichever way and however often the tasks run. Through the real Celery tasks (run
in-process) and Django's locmem mail outbox."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from core import reminders as core_reminders
from dashboards.digest import reminder_preference_set
from dashboards.models import ReminderPreference
from dashboards.tasks import send_reminders_as_they_happen, send_weekly_digest
from evaluations.interviews import services
from evaluations.interviews.reminders import interview_reminders_send
from evaluations.interviews.tasks import send_interview_reminders
from evaluations.models import Interview
from programmes.models import Role

from ..evidence.factories import waiting_and_expiring


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_the_kinds_are_the_same_on_both_floors():
    assert set(ReminderPreference.Kind.values) == {
        core_reminders.INTERVIEWS, core_reminders.REVIEWS, core_reminders.EXPIRING, core_reminders.EVIDENCE,
    }


def test_a_weekly_person_gets_one_digest_and_no_daily_interview_reminder(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    assert Interview.objects.filter(responsible=lead, status="due").exists()
    assert not ReminderPreference.objects.filter(user=lead).exists()  # the default: weekly

    send_interview_reminders.apply().get()
    send_reminders_as_they_happen.apply().get()
    assert _to(lead) == []

    send_weekly_digest.apply().get()
    send_weekly_digest.apply().get()  # a second run the same week tells nothing new
    digests = _to(lead)
    assert len(digests) == 1
    assert "Mid-way interview with" in digests[0].body

    # The next day's interview run still sends the weekly person nothing.
    assert interview_reminders_send(timezone.now() + timedelta(days=1)) == 0
    assert len(_to(lead)) == 1


def test_as_they_happen_sends_each_interview_once_a_week_and_no_digest(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    reminder_preference_set(user=lead, frequency="immediate", kinds=["interviews"])
    due = Interview.objects.filter(responsible=lead, status="due").count()
    assert due >= 1

    send_interview_reminders.apply().get()
    assert len(_to(lead)) == due
    assert all(m.subject.startswith("Interview due by") for m in _to(lead))

    # Again the same day, and on a run that has forgotten when it last reminded: the week's
    # record still stops a second email.
    send_interview_reminders.apply().get()
    Interview.objects.update(last_reminded_at=None)
    send_interview_reminders.apply().get()
    send_weekly_digest.apply().get()
    assert len(_to(lead)) == due

    # A week later: once more.
    assert interview_reminders_send(timezone.now() + timedelta(days=7)) >= due


def test_as_they_happen_sends_one_email_per_item_of_each_kind_ticked(world):
    waiting_and_expiring(world)
    mentor = world.person(Role.MENTOR)
    reminder_preference_set(user=mentor, frequency="immediate", kinds=["evidence", "expiring"])
    mail.outbox.clear()

    send_reminders_as_they_happen.apply().get()
    sent = _to(mentor)
    assert len(sent) == 2  # one per item, not one email gathering them
    bodies = " ".join(m.body for m in sent)
    assert "ECG on Larch" in bodies and "Venepuncture" in bodies
    assert any(m.subject.startswith("Ladder: Assess") for m in sent)

    for _ in range(3):  # through the day and the week: never again
        send_reminders_as_they_happen.apply().get()
    send_weekly_digest.apply().get()
    assert len(_to(mentor)) == 2


def test_an_unticked_kind_is_not_sent(world):
    waiting_and_expiring(world)
    mentor = world.person(Role.MENTOR)
    reminder_preference_set(user=mentor, frequency="immediate", kinds=["expiring"])
    mail.outbox.clear()
    send_reminders_as_they_happen.apply().get()
    sent = _to(mentor)
    assert len(sent) == 1 and "Venepuncture" in sent[0].body
    assert "ECG on Larch" not in sent[0].body

    reminder_preference_set(user=mentor, frequency="immediate", kinds=[])
    mail.outbox.clear()
    send_reminders_as_they_happen.apply().get()
    assert _to(mentor) == []


def test_changing_to_as_they_happen_mid_week_repeats_nothing_the_digest_told(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    send_weekly_digest.apply().get()
    assert len(_to(lead)) == 1
    reminder_preference_set(user=lead, frequency="immediate", kinds=["interviews", "reviews"])
    send_interview_reminders.apply().get()
    send_reminders_as_they_happen.apply().get()
    assert len(_to(lead)) == 1
