"""The demo shows credentials: active ones (the demo trainee login has one to share), one
expired and one revoked; seeding twice changes nothing."""

from __future__ import annotations

from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from credentials.models import Credential


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
