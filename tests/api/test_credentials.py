"""GET /api/v1/credentials/: the credentials of the trainees the caller sees, each with its
public address and its status checked now. The holder reads their own; their training lead
reads every one of the organisation's; another organisation's lead, and the partner whose
district nurse signed the task off, read none (the public address is how a credential is
shared across organisations)."""

from __future__ import annotations

import pytest

from credentials import services as credential_services
from credentials.models import Credential
from programmes.models import Role
from trainees import services as trainee_services

from ..credentials.helpers import delegated_task, sign_off_task
from ..delegation.factories import add_partner
from ..evidence.factories import sign_off, submit
from .conftest import client_with_token, token_for

pytestmark = pytest.mark.django_db


def _credentials(user) -> list[dict]:
    response = client_with_token(token_for(user)).get("/api/v1/credentials/")
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


@pytest.fixture
def issued(world, django_capture_on_commit_callbacks, settings):
    """Sam's insulin credential (signed off by Eastvale's district nurse), Sam's venepuncture
    credential, since revoked, and another Acme trainee's credential."""
    settings.LADDER_PUBLIC_URL = "https://ladder.example.nhs.uk"
    with django_capture_on_commit_callbacks(execute=True):
        add_partner(world)
    world.insulin_credential = Credential.objects.get(trainee=world.trainee, competency=world.insulin)
    venepuncture = delegated_task(world, name="Venepuncture", code="SFHCHS132")
    world.revoked = sign_off_task(world, venepuncture, django_capture_on_commit_callbacks)
    credential_services.credential_revoke(credential=world.revoked, reason="Issued in error.")
    lead = world.person(Role.TRAINING_LEAD)
    world.colleague = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name="Ola", last_name="Colleague",
        employee_number="E2002", mentor=world.person(Role.MENTOR),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(submit(world.colleague, [venepuncture], actor=lead), {venepuncture.pk: 1})
    world.colleague_credential = Credential.objects.get(trainee=world.colleague)
    return world


def test_each_credential_has_its_public_url_and_its_status_now(issued):
    world = issued
    rows = {row["id"]: row for row in _credentials(world.person(Role.TRAINEE))}
    assert set(rows) == {world.insulin_credential.pk, world.revoked.pk}
    insulin = rows[world.insulin_credential.pk]
    assert insulin["url"] == f"https://ladder.example.nhs.uk/credentials/{world.insulin_credential.public_id}/"
    assert insulin["status"] == "valid"
    assert insulin["achievement_name"] == "Insulin administration"
    assert insulin["assessor_organisation_name"] == "Eastvale Community Health NHS Trust"
    assert insulin["issuer"] == "Acme Mental Health NHS Trust"
    assert rows[world.revoked.pk]["status"] == "revoked"


def test_the_lead_reads_the_organisations_and_others_read_none(issued):
    world = issued
    everyone = {world.insulin_credential.pk, world.revoked.pk, world.colleague_credential.pk}
    assert {row["id"] for row in _credentials(world.person(Role.TRAINING_LEAD))} == everyone
    assert {row["id"] for row in _credentials(world.person(Role.MENTOR))} == everyone  # mentor to both
    assert _credentials(world.outsider) == []  # another organisation's lead
    assert _credentials(world.partner) == []  # the partner's lead
    assert _credentials(world.nurse) == []  # who signed the insulin off: she checks it at its address
