"""One weekly digest instead of a stream: each person's choices, and never the same item twice
in a week."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from competencies.evidence import services as evidence_services
from competencies.models import RoleProfileItem
from dashboards.digest import digest_send, digests_send, reminder_preference_set
from dashboards.models import ReminderPreference
from programmes.models import Role

from .evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit


def _waiting_and_expiring(world):
    framework = make_framework(short_name="Delegated healthcare tasks", levels=FOUR_LEVELS)
    task = make_competency(framework, "Venepuncture", id_number="DT1", is_delegated_task=True)
    other = make_competency(framework, "ECG", id_number="DT2")
    make_profile(world.programme, [(task, 2, RoleProfileItem.Kind.ROLE_SPECIFIC), (other, 2)])
    evidence = sign_off(submit(world.trainee, [task], title="Bloods"), {task.pk: 2})
    evidence_services.decisions_backdate(evidence=evidence, decided_at=timezone.now() - timedelta(days=340))
    submit(world.trainee, [other], title="ECG on Larch")


def test_the_digest_tells_each_item_once_a_week_at_most(world):
    _waiting_and_expiring(world)
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
    _waiting_and_expiring(world)
    mentor = world.person(Role.MENTOR)
    reminder_preference_set(user=mentor, frequency="weekly", kinds=["expiring"])
    digest_send(user=mentor, today=date(2026, 11, 30))
    assert "Venepuncture" in mail.outbox[-1].body and "ECG on Larch" not in mail.outbox[-1].body
    reminder_preference_set(user=world.person(Role.MANAGER), frequency="immediate", kinds=["expiring"])
    assert digest_send(user=world.person(Role.MANAGER), today=date(2026, 11, 30)) == 0


def test_digests_send_one_email_per_person(world):
    _waiting_and_expiring(world)
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
