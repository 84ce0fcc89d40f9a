"""One access path to a delegation record and to a partner's evidence, with core.access's one
rule: what the person cannot see is 404; a change they may not make to what they see is 403,
with the reason. The views take both answers from the selector (the access walk:
tests/access_entries/delegation.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from competencies.models import Evidence
from delegation import services
from delegation.models import Delegation
from delegation.selectors import get_delegation_for, get_partner_evidence_for
from programmes.models import Role

from ..evidence.factories import submit
from .factories import add_partner, membership

MANAGE = "Only the delegating practitioner or a training lead can end it."
SUPERVISE = "Only a registered practitioner of the delegating organisation can log supervision."
ACKNOWLEDGE = "Only the care worker it is delegated to can acknowledge it, once."


@pytest.fixture
def joint(world):
    return add_partner(world)


def _as(world, role):
    return membership(world.person(role), world.organisation, role)


def _refused(member, delegation, write) -> str:
    with pytest.raises(PermissionDenied) as refusal:
        get_delegation_for(membership=member, pk=delegation.pk, write=write)
    return str(refusal.value)


def test_an_outsider_cannot_tell_a_delegation_exists_whatever_the_change(joint):
    world = joint
    outsider = membership(world.outsider, world.other_organisation, Role.TRAINING_LEAD)
    for write in (None, "acknowledge", "supervise", "manage"):
        for pk in (world.delegation.pk, world.delegation.pk + 1000):
            with pytest.raises(Http404):
                get_delegation_for(membership=outsider, pk=pk, write=write)


def test_each_change_is_allowed_to_its_people_and_refused_to_the_others_with_the_reason(joint):
    world = joint
    delegation = world.delegation
    worker, lead, ward_nurse = _as(world, Role.TRAINEE), _as(world, Role.TRAINING_LEAD), world.ward_nurse_membership
    # The care worker acknowledges; nothing else.
    assert get_delegation_for(membership=worker, pk=delegation.pk, write="acknowledge") == delegation
    assert _refused(worker, delegation, "manage") == MANAGE
    assert _refused(worker, delegation, "supervise") == SUPERVISE
    # The delegating district nurse supervises and ends it; she does not acknowledge it.
    for write in ("supervise", "manage"):
        assert get_delegation_for(membership=world.nurse_membership, pk=delegation.pk, write=write) == delegation
    assert _refused(world.nurse_membership, delegation, "acknowledge") == ACKNOWLEDGE
    # The worker's organisation's training lead ends it but, unregistered, does not supervise.
    assert get_delegation_for(membership=lead, pk=delegation.pk, write="manage") == delegation
    assert _refused(lead, delegation, "supervise") == SUPERVISE
    # The worker's mentor reads it; registered, but of the other organisation: no change at all.
    assert get_delegation_for(membership=ward_nurse, pk=delegation.pk) == delegation
    for write, reason in (("acknowledge", ACKNOWLEDGE), ("supervise", SUPERVISE), ("manage", MANAGE)):
        assert _refused(ward_nurse, delegation, write) == reason


def test_what_was_allowed_is_refused_once_the_delegation_has_moved_on(joint):
    world = joint
    worker = _as(world, Role.TRAINEE)
    services.delegation_acknowledge(delegation=world.delegation, actor=worker.user)
    assert _refused(worker, world.delegation, "acknowledge") == ACKNOWLEDGE
    ended = services.delegation_end(delegation=world.delegation, membership=world.nurse_membership)
    assert ended.status == Delegation.Status.ENDED
    assert _refused(world.nurse_membership, ended, "supervise") == SUPERVISE


def test_the_pages_give_the_selectors_answer(client, joint):
    world = joint
    client.force_login(world.person(Role.TRAINEE))
    response = client.post(reverse("delegation:end", kwargs={"pk": world.delegation.pk}), {"reason": "No"})
    assert response.status_code == 403
    assert MANAGE in response.content.decode()
    world.delegation.refresh_from_db()
    assert world.delegation.status == Delegation.Status.AWAITING


# --- A partner's evidence -------------------------------------------------------------------------


@pytest.fixture
def half_named(joint):
    """Evidence the nurse sees (it claims the task the partnership names) but may not assess
    (it claims another the partnership does not name)."""
    return submit(joint.trainee, [joint.insulin, joint.blood_glucose], title="Insulin and glucose")


def test_a_partner_sees_evidence_claiming_an_unnamed_competency_but_may_not_assess_it(joint, half_named):
    nurse = joint.nurse_membership
    assert get_partner_evidence_for(membership=nurse, pk=half_named.pk) == half_named
    with pytest.raises(PermissionDenied, match="only for the competencies your organisation's partnership"):
        get_partner_evidence_for(membership=nurse, pk=half_named.pk, write=True)
    assert get_partner_evidence_for(membership=nurse, pk=joint.partner_evidence.pk, write=True) == (
        joint.partner_evidence
    )


def test_the_partner_pages_show_such_evidence_without_forms_and_refuse_changing_it(client, joint, half_named):
    client.force_login(joint.nurse)
    detail = reverse("delegation:assessment_detail", kwargs={"pk": half_named.pk})
    page = client.get(detail)
    assert page.status_code == 200
    assert page.context["form"] is None and page.context["return_form"] is None
    signed = client.post(detail, {
        "sign_off-version": half_named.version, f"sign_off-level_{joint.insulin.pk}": "1",
        f"sign_off-level_{joint.blood_glucose.pk}": "1",
    })
    returned = client.post(
        reverse("delegation:assessment_return", kwargs={"pk": half_named.pk}),
        {"return-version": half_named.version, "return-comment": "More, please."},
    )
    assert (signed.status_code, returned.status_code) == (403, 403)
    assert "partnership names" in returned.content.decode()
    half_named.refresh_from_db()
    assert half_named.status == Evidence.Status.SUBMITTED


def test_evidence_already_signed_off_is_not_signed_off_again(client, joint):
    client.force_login(joint.nurse)
    evidence = joint.signed_evidence
    response = client.post(reverse("delegation:assessment_detail", kwargs={"pk": evidence.pk}), {
        "sign_off-version": evidence.version, f"sign_off-level_{joint.insulin.pk}": "0",
    })
    assert response.status_code == 403
    assert "only evidence waiting for assessment can be signed off" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SIGNED_OFF
