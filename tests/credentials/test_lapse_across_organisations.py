"""One lapse, every consequence: when a care worker's sign-off for a delegated task is withdrawn
or expires, the receivers (after commit) bring the credential and the delegation in line and
both organisations are told. Nothing here calls the receivers by hand: the changes go through
the services people use, and the after-commit callbacks run as they would in production."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from competencies.assessment.services import attainment_sweep_expired, attainment_withdraw
from competencies.models import AttainmentDecision
from credentials import selectors, vc
from credentials.models import Credential
from delegation import services as delegation_services
from delegation.models import Delegation
from programmes.models import Role

from ..delegation.factories import add_partner


@pytest.fixture
def joint(world, django_capture_on_commit_callbacks):
    """The joint programme, with the nurse's sign-off heard by the receivers (credential issued)."""
    with django_capture_on_commit_callbacks(execute=True):
        add_partner(world)
    world.credential = Credential.objects.get(trainee=world.trainee, competency=world.insulin)
    return world


def _public_status(client, credential: Credential) -> str:
    page = client.get(reverse("credentials:public", kwargs={"public_id": credential.public_id}))
    return page.context["status"]


def test_withdrawal_revokes_the_credential_in_the_status_list_and_suspends_the_delegation(
    client, joint, django_capture_on_commit_callbacks
):
    world = joint
    assert _public_status(client, world.credential) == Credential.Status.VALID
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attainment_withdraw(
            trainee=world.trainee, competency=world.insulin, actor=world.person(Role.TRAINING_LEAD),
            reason="Medication incident under review",
        )
    world.credential.refresh_from_db()
    world.delegation.refresh_from_db()
    assert world.credential.revoked_reason == "The sign-off was withdrawn."
    assert _public_status(client, world.credential) == Credential.Status.REVOKED
    # The published, signed revocation list has the credential's bit set.
    token = client.get(reverse("credentials:status_list", kwargs={
        "slug": world.organisation.slug, "purpose": "revocation", "number": world.credential.status_list,
    })).content.decode()
    encoded = vc.verify(token, world.credential.key.public_jwk)["credentialSubject"]["encodedList"]
    bits = vc.decode_bits(encoded)
    index = world.credential.status_index
    assert bits[index // 8] & (0b1000_0000 >> (index % 8))
    assert world.delegation.status == Delegation.Status.SUSPENDED
    told = {address for message in mail.outbox for address in message.to}
    assert {"lead.eastvale@example.org", "training_lead.acme@example.org"} <= told


def test_expiry_shows_the_credential_expired_not_revoked_and_suspends_the_delegation(
    client, joint, django_capture_on_commit_callbacks
):
    world = joint
    # A year on: the reassessment date both the attainment and the credential were given has
    # passed (moved back here rather than moving the clock on).
    yesterday = timezone.localdate() - timedelta(days=1)
    AttainmentDecision.objects.filter(trainee=world.trainee, competency=world.insulin).update(
        valid_until=yesterday
    )
    Credential.objects.filter(pk=world.credential.pk).update(
        valid_until=timezone.now() - timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert attainment_sweep_expired() == 1
    world.credential.refresh_from_db()
    world.delegation.refresh_from_db()
    assert world.credential.revoked_at is None and world.credential.suspended_at is None
    assert _public_status(client, world.credential) == Credential.Status.EXPIRED
    assert world.credential.status_index not in selectors.status_bits(
        world.organisation, purpose="revocation", number=world.credential.status_list
    )
    assert world.delegation.status == Delegation.Status.SUSPENDED
    assert "expired" in world.delegation.status_reason
    told = {address for message in mail.outbox for address in message.to}
    assert {"lead.eastvale@example.org", "training_lead.acme@example.org"} <= told


def test_a_delegation_ended_because_the_partnership_ended_leaves_the_credential_valid(
    client, joint, django_capture_on_commit_callbacks
):
    # The credential says the worker is competent; the delegation says who may delegate to
    # them. Ending a partnership ends the second, not the first.
    world = joint
    lead = world.person(Role.TRAINING_LEAD)
    from programmes.models import Membership

    with django_capture_on_commit_callbacks(execute=True):
        delegation_services.partnership_end(
            partnership=world.partnership,
            membership=Membership.objects.get(user=lead, organisation=world.organisation, role=Role.TRAINING_LEAD),
            reason="The contract ended.",
        )
    world.delegation.refresh_from_db()
    assert world.delegation.status == Delegation.Status.ENDED
    assert _public_status(client, world.credential) == Credential.Status.VALID
