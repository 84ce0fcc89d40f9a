"""GET /api/v1/partnerships/ and /api/v1/delegations/: each organisation reads what it is party
to; an outsider reads nothing; the partner reads only what the partnership states."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from delegation import services as delegation_services
from programmes import services as programme_services
from programmes.models import Organisation, Role

from ..conftest import make_person
from ..delegation.factories import add_partner
from .conftest import client_with_token, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(world):
    return add_partner(world)


def _get(user, path: str) -> list[dict]:
    response = client_with_token(token_for(user)).get(path)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_both_sides_read_the_partnership_with_its_status_and_named_competencies(joint):
    world = joint
    for user in (world.person(Role.TRAINING_LEAD), world.partner, world.person(Role.PLANNER)):
        (row,) = _get(user, "/api/v1/partnerships/")
        assert row["status"] == "accepted"
        assert row["lead_organisation"]["name"] == "Acme Mental Health NHS Trust"
        assert row["partner_organisation"]["name"] == "Eastvale Community Health NHS Trust"
        assert row["assessable_competencies"] == [world.insulin.pk]
    assert _get(world.outsider, "/api/v1/partnerships/") == []
    assert _get(world.person(Role.TRAINEE), "/api/v1/partnerships/") == []


def test_a_request_not_yet_answered_shows_as_proposed_and_opens_nothing(world):
    elm = programme_services.organisation_ensure(
        slug="elm-house", name="Elm House Nursing Home", kind=Organisation.Kind.CARE_PROVIDER
    )
    elm_lead = make_person(elm, Role.TRAINING_LEAD, "lead.elm")
    programme_services.partnership_propose(
        programme=world.programme, organisation=elm, actor=world.person(Role.TRAINING_LEAD),
        purpose="Care workers join the cohort.",
    )
    (asked,) = _get(elm_lead, "/api/v1/partnerships/")
    assert asked["status"] == "proposed"
    assert _get(elm_lead, "/api/v1/programmes/") == []
    assert _get(elm_lead, "/api/v1/delegations/") == []


def test_delegations_show_worker_practitioner_organisation_task_and_review_date(joint):
    world = joint
    (row,) = _get(world.person(Role.TRAINING_LEAD), "/api/v1/delegations/")
    assert row["id"] == world.delegation.pk
    assert row["status"] == "awaiting"
    assert row["task"] == {"id": world.insulin.pk, "code": "DHT1", "name": "Insulin administration"}
    assert row["worker"]["name"] == "Sam Trainee"
    assert row["worker"]["organisation"]["name"] == "Acme Mental Health NHS Trust"
    assert row["practitioner"]["organisation"]["name"] == "Eastvale Community Health NHS Trust"
    assert row["practitioner"]["name"] == world.nurse.get_full_name()
    assert row["review_on"] == (timezone.localdate() + timedelta(days=90)).isoformat()
    assert [r["id"] for r in _get(world.person(Role.TRAINEE), "/api/v1/delegations/")] == [world.delegation.pk]
    assert _get(world.outsider, "/api/v1/delegations/") == []


def test_the_partner_reads_only_the_delegations_its_own_practitioners_made(joint, django_capture_on_commit_callbacks):
    world = joint
    # Acme's own ward nurse delegates another task within Acme: nothing of the partner's.
    world.blood_glucose_evidence = None
    from ..evidence.factories import sign_off, submit

    sign_off(submit(world.trainee, [world.blood_glucose]), {world.blood_glucose.pk: 1})
    own = delegation_services.delegation_create(
        membership=world.ward_nurse_membership, trainee=world.trainee, competency=world.blood_glucose,
        setting="Larch Ward", starts_on=timezone.localdate(), supervision="direct",
        supervision_detail="On shift", review_on=timezone.localdate() + timedelta(days=30),
    )
    acme = {r["id"] for r in _get(world.person(Role.TRAINING_LEAD), "/api/v1/delegations/")}
    assert acme == {world.delegation.pk, own.pk}
    partner = {r["id"] for r in _get(world.partner, "/api/v1/delegations/")}
    assert partner == {world.delegation.pk}


def test_the_partners_sign_off_names_her_organisation_in_the_evidence_and_the_attainment_history(joint):
    world = joint
    eastvale = world.partner_organisation
    for user in (world.person(Role.MENTOR), world.person(Role.TRAINEE)):
        evidence = {e["id"]: e for e in _get(user, f"/api/v1/evidence/?trainee={world.trainee.pk}")}
        signed = evidence[world.signed_evidence.pk]
        assert (signed["assessed_by"], signed["assessor_organisation"]) == (world.nurse.pk, eastvale.pk)
        assert signed["assessor_organisation_name"] == "Eastvale Community Health NHS Trust"
        assert evidence[world.partner_evidence.pk]["assessor_organisation_name"] == ""  # not assessed yet
        (attainment,) = _get(user, f"/api/v1/attainments/?trainee={world.trainee.pk}&competency={world.insulin.pk}")
        (version,) = attainment["history"]
        assert (version["decided_by"], version["assessor_organisation"]) == (world.nurse.pk, eastvale.pk)
        assert version["assessor_organisation_name"] == "Eastvale Community Health NHS Trust"


def test_ending_the_partnership_shows_at_once(joint):
    world = joint
    lead_membership = world.person(Role.TRAINING_LEAD).memberships.get(organisation=world.organisation)
    delegation_services.partnership_end(partnership=world.partnership, membership=lead_membership)
    (row,) = _get(world.partner, "/api/v1/partnerships/")
    assert row["status"] == "ended"
    assert _get(world.partner, "/api/v1/programmes/") == []


def test_the_schema_describes_both_lists(api_as):
    schema = api_as(Role.TRAINING_LEAD).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/partnerships/" in schema["paths"] and "/api/v1/delegations/" in schema["paths"]
    delegation = schema["components"]["schemas"]["Delegation"]["properties"]
    assert {"status", "worker", "practitioner", "task", "review_on"} <= set(delegation)
