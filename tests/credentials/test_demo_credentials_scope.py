"""seed_demo signs credentials for the demo organisations' people only: never for anyone else
in the same database (a trust that loads the demo beside its own data, or the benchmark)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from credentials.models import Credential

from ..evidence.factories import sign_off, submit
from .helpers import delegated_task

pytestmark = pytest.mark.django_db


def test_seed_demo_issues_no_credential_to_a_trainee_outside_the_demo(world):
    task = delegated_task(world)
    # Signed off with the after-commit receivers not run: no credential yet, one is owed.
    sign_off(submit(world.trainee, [task], title="Insulin observed"), {task.pk: 1})
    assert not Credential.objects.filter(trainee=world.trainee).exists()

    call_command("seed_demo", quiet=True)

    assert Credential.objects.filter(trainee__organisation__slug="westmoor").exists()  # the demo's own
    assert not Credential.objects.filter(trainee=world.trainee).exists()
