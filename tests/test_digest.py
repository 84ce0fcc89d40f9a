"""One weekly digest instead of a stream: each person's choices, and never the same item twice
in a week."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.urls import reverse

from dashboards.digest import digest_send, digests_send, reminder_preference_set
from dashboards.models import ReminderPreference
from programmes.models import Role

from .evidence.factories import waiting_and_expiring


def test_the_digest_tells_each_item_once_a_week_at_most(world):
    waiting_and_expiring(world)
    mentor = world.person(Role.MENTOR)
    monday = date(2026, 11, 30)
    assert digest_send(user=mentor, today=monday) >= 2
    body = mail.outbox[-1].body
    assert "Evidence waiting for you" in body and "ECG on Larch" in body and "Venepuncture" in body
    sent = len(mail.outbox)
    assert digest_send(user=mentor, today=monday + timedelta(days=3)) == 0  # same week: nothing
    assert len(mail.outbox) == sent
    assert digest_send(user=mentor, today=monday + timedelta(days=7)) >= 2  # next week: again


def test_each_person_chooses_the_kinds_and_immediate_gets_no_digest(world):
    waiting_and_expiring(world)
    mentor = world.person(Role.MENTOR)
    reminder_preference_set(user=mentor, frequency="weekly", kinds=["expiring"])
    digest_send(user=mentor, today=date(2026, 11, 30))
    assert "Venepuncture" in mail.outbox[-1].body and "ECG on Larch" not in mail.outbox[-1].body
    reminder_preference_set(user=world.person(Role.MANAGER), frequency="immediate", kinds=["expiring"])
    assert digest_send(user=world.person(Role.MANAGER), today=date(2026, 11, 30)) == 0


def test_digests_send_one_email_per_person(world):
    waiting_and_expiring(world)
    mail.outbox.clear()
    count = digests_send(today=date(2026, 11, 30))
    assert count == len(mail.outbox) and len({m.to[0] for m in mail.outbox}) == count
    assert digests_send(today=date(2026, 11, 30)) == 0


def test_the_account_page_sets_reminders(client_as, world):
    client = client_as(Role.TRAINEE)
    page = client.get(reverse("dashboards:account")).content.decode()
    assert "One weekly digest email" in page
    done = client.post(reverse("dashboards:reminders"), {"frequency": "immediate", "kinds": ["interviews", "expiring"]})
    assert done.status_code == 302
    preference = ReminderPreference.objects.get(user=world.person(Role.TRAINEE))
    assert (preference.frequency, preference.kinds) == ("immediate", ["interviews", "expiring"])
    refused = client.post(reverse("dashboards:reminders"), {"frequency": "hourly"})
    assert refused.status_code == 200 and "Error: Reminders" in refused.content.decode()
    assert ReminderPreference.objects.get(user=world.person(Role.TRAINEE)).frequency == "immediate"
