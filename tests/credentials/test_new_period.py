"""A task's reassessment period changes after its credentials were signed: a credential cannot
change, so each one whose validUntil is no longer its sign-off's last valid day is revoked,
saying why, and replaced with one carrying the new date, or not replaced when the sign-off has
expired under the new period (credentials.services.credentials_replace_for_new_period). A
verifier never reads "valid" on a credential whose competence has expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from competencies.assessment.services import attainment_validity_refresh
from competencies.evidence import services as evidence_services
from competencies.validity import add_months
from credentials import services
from credentials.models import Credential
from programmes.models import Role

from .helpers import delegated_task, sign_off_task


def _new_period(world, task, months: int, capture) -> None:
    task.reassessment_months = months
    task.save(update_fields=["reassessment_months"])
    with capture(execute=True):
        attainment_validity_refresh(competency_ids=[task.pk], actor=world.person(Role.TRAINING_LEAD))


def test_a_longer_period_replaces_the_credential_with_one_saying_the_new_date(
    world, django_capture_on_commit_callbacks
):
    task = delegated_task(world, months=12)
    old = sign_off_task(world, task, django_capture_on_commit_callbacks)
    services.credential_suspend(credential=old, reason="Incident under review")
    _new_period(world, task, 24, django_capture_on_commit_callbacks)
    old.refresh_from_db()
    assert old.status_at(timezone.now()) == Credential.Status.REVOKED
    assert "new reassessment date" in old.revoked_reason
    new = Credential.objects.get(trainee=world.trainee, competency=task, revoked_at__isnull=True)
    signed_on = timezone.localdate(new.valid_from)
    assert timezone.localtime(new.valid_until).date() == add_months(signed_on, 24)
    assert (new.valid_from, new.status_index != old.status_index) == (old.valid_from, True)
    assert new.suspended_reason == "Incident under review"  # a suspension is not lifted by a new date
    _new_period(world, task, 24, django_capture_on_commit_callbacks)  # nothing changed: nothing replaced
    assert Credential.objects.filter(trainee=world.trainee, competency=task).count() == 2


def test_a_shorter_period_under_which_the_sign_off_has_expired_leaves_no_valid_credential(
    world, django_capture_on_commit_callbacks
):
    task = delegated_task(world, months=24)
    credential = sign_off_task(world, task, django_capture_on_commit_callbacks)
    decided = datetime.now(UTC) - timedelta(days=400)  # a year and a month ago: valid under 24, not 12
    evidence_services.decisions_backdate(evidence=credential.trainee.evidence.get(), decided_at=decided)
    Credential.objects.filter(pk=credential.pk).update(
        valid_from=decided, valid_until=decided + timedelta(days=730)
    )
    assert Credential.objects.get(pk=credential.pk).status_at(timezone.now()) == Credential.Status.VALID
    _new_period(world, task, 12, django_capture_on_commit_callbacks)
    statuses = [c.status_at(timezone.now()) for c in Credential.objects.filter(trainee=world.trainee)]
    assert statuses == [Credential.Status.REVOKED]
    assert "no longer valid" in Credential.objects.get(pk=credential.pk).revoked_reason
