"""The demo shows credentials: active ones (the demo trainee login has one to share), one
expired and one revoked; seeding twice changes nothing; nobody outside the demo gets one."""

from __future__ import annotations

from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from credentials.models import Credential

from ..credentials.helpers import delegated_task
from ..evidence.factories import sign_off, submit


def test_the_demo_has_active_expired_and_revoked_credentials_and_seeds_idempotently(demo):
    first = Credential.objects.count()
    call_command("seed_demo", quiet=True)
    assert Credential.objects.count() == first
    now = timezone.now()
    statuses = Counter(c.status_at(now) for c in Credential.objects.all())
    assert statuses["valid"] >= 5 and statuses["expired"] >= 1 and statuses["revoked"] == 1
    jordan = Credential.objects.filter(trainee__user__username="trainee.westmoor")
    assert [c.status_at(now) for c in jordan] == ["valid"]
    assert Credential.objects.filter(kind="programme").count() == 7


def test_seed_demo_issues_no_credential_to_a_trainee_outside_the_demo(demo, world):
    """Only the demo organisations' people: never anyone else in the same database (a trust
    that loads the demo beside its own data, or the benchmark). Acme's trainee (tests/conftest.py
    world) is owed a credential when the demo is seeded again; the demo's own step that issues
    the credentials its sign-offs earn runs on every seeding, so it is the one that must pass
    Acme by."""
    task = delegated_task(world)
    # Signed off with the after-commit receivers not run: no credential yet, one is owed.
    sign_off(submit(world.trainee, [task], title="Insulin observed"), {task.pk: 1})
    assert not Credential.objects.filter(trainee=world.trainee).exists()

    call_command("seed_demo", quiet=True)

    assert Credential.objects.filter(trainee__organisation__slug="westmoor").exists()  # the demo's own
    assert not Credential.objects.filter(trainee=world.trainee).exists()
