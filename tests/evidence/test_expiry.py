"""Expiry: validity periods, reassessment, and the daily sweep announcing it once (that it
stops counting everywhere at once: tests/competencies/test_not_attained_everywhere.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from competencies.assessment import services as assessment
from competencies.evidence import services
from competencies.evidence.selectors import (
    attainment_for,
)
from competencies.models import AttainmentDecision, RoleProfileItem
from competencies.signals import attainment_changed
from competencies.validity import valid_until_for
from programmes.models import Membership, Role

from .factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit


def _membership(world, role):
    return Membership.objects.select_related("user", "organisation").get(
        user=world.person(role), organisation=world.organisation, role=role
    )


def _task(world, **fields):
    framework = make_framework(short_name="Delegated healthcare tasks", levels=FOUR_LEVELS)
    task = make_competency(framework, "Venepuncture", id_number="DT1", is_delegated_task=True, **fields)
    make_profile(world.programme, [(task, 2, RoleProfileItem.Kind.ROLE_SPECIFIC)])
    return task


def _signed_on(world, competency, day: date, level: int = 2):
    evidence = sign_off(submit(world.trainee, [competency]), {competency.pk: level})
    services.decisions_backdate(evidence=evidence, decided_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
    return evidence


def test_a_delegated_task_is_valid_a_year_by_default_and_expiring_60_days_before(world):
    task = _task(world)
    today = timezone.localdate()
    _signed_on(world, task, today - timedelta(days=330))
    got = attainment_for([world.trainee], [task])[(world.trainee.pk, task.pk)]
    assert got.valid_until == valid_until_for(task, today - timedelta(days=330))
    assert got.status == "expiring" and got.meets(2)


def test_the_framework_period_applies_unless_the_competency_overrides_it(world):
    framework = make_framework(short_name="CSTF", validity_months=36)
    inherits = make_competency(framework, "Fire safety")
    overrides = make_competency(framework, "Basic life support", reassessment_months=12)
    make_profile(world.programme, [(inherits, 1), (overrides, 1)])
    sign_off(submit(world.trainee, [inherits, overrides]), {inherits.pk: 1, overrides.pk: 1})
    today = timezone.localdate()
    got = attainment_for([world.trainee], [inherits, overrides])
    assert got[(world.trainee.pk, inherits.pk)].valid_until == valid_until_for(inherits, today)
    assert (got[(world.trainee.pk, inherits.pk)].valid_until - today).days > 3 * 365 - 3
    assert (got[(world.trainee.pk, overrides.pk)].valid_until - today).days in range(364, 367)


# Expiry and withdrawal read as "not attained" everywhere at once:
# tests/competencies/test_not_attained_everywhere.py.


def test_reassessment_starts_a_new_version_with_a_fresh_period(world):
    task = _task(world)
    _signed_on(world, task, timezone.localdate() - timedelta(days=400))
    decision = assessment.attainment_reassess(
        trainee=world.trainee, competency=task, assessor=world.person(Role.MENTOR), level=3
    )
    got = attainment_for([world.trainee], [task])[(world.trainee.pk, task.pk)]
    assert decision.kind == "reassessed" and got.status == "current" and got.level == 3
    assert AttainmentDecision.objects.filter(trainee=world.trainee, competency=task).count() == 2


def test_the_sweep_announces_each_expiry_once(world, django_capture_on_commit_callbacks):
    task = _task(world)
    _signed_on(world, task, timezone.localdate() - timedelta(days=400))
    heard = []

    def receiver(sender, pairs, reason, **kwargs):
        heard.append((pairs, reason))

    attainment_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = assessment.attainment_sweep_expired()
        with django_capture_on_commit_callbacks(execute=True):
            second = assessment.attainment_sweep_expired()
    finally:
        attainment_changed.disconnect(receiver)
    assert (first, second) == (1, 0)
    assert heard == [([(world.trainee.pk, task.pk)], "expired")]


def test_homes_show_what_is_expiring_to_trainee_mentor_and_manager(client_as, world):
    task = _task(world)
    _signed_on(world, task, timezone.localdate() - timedelta(days=340))
    level = task.effective_scale().levels[AttainmentDecision.objects.get(competency=task).level]["name"]
    for role in (Role.TRAINEE, Role.MENTOR, Role.MANAGER):
        html = client_as(role).get(reverse("dashboards:home")).content.decode()
        assert 'data-testid="expiring"' in html and "Venepuncture" in html, role
        assert f"Venepuncture, {level}" in html, role  # the level named on the competency's scale
    assert 'data-testid="expiring"' not in client_as(Role.LECTURER).get(reverse("dashboards:home")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_beat_sweep_and_marks_each_expiry_announced(world):
    import time

    from celery.contrib.testing.worker import start_worker

    from competencies.tasks import sweep_expired_attainment
    from config.celery import app as celery_app

    task = _task(world)
    _signed_on(world, task, timezone.localdate() - timedelta(days=400))
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING"):
        sweep_expired_attainment.delay()
        deadline = time.monotonic() + 30
        while (
            time.monotonic() < deadline
            and not AttainmentDecision.objects.filter(expiry_announced_at__isnull=False).exists()
        ):
            time.sleep(0.2)
    assert AttainmentDecision.objects.filter(expiry_announced_at__isnull=False).count() == 1
    assert "sweep-expired-attainment" in __import__("django.conf").conf.settings.CELERY_BEAT_SCHEDULE
