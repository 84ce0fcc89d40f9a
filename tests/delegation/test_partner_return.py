"""A partner's registered practitioner asks for more, just as a home assessor does: returns the
trainee's evidence with a comment, for the competencies the partnership names only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from competencies.models import Evidence, EvidenceComment
from programmes.models import Role

from ..evidence.factories import submit
from .factories import add_partner


@pytest.fixture
def joint(world):
    return add_partner(world)


def _return(client, evidence: Evidence, comment: str):
    return client.post(
        reverse("delegation:assessment_return", kwargs={"pk": evidence.pk}),
        {"return-version": evidence.version, "return-comment": comment},
    )


def test_the_partner_nurse_returns_evidence_with_a_comment_the_trainee_reads(client, joint):
    world = joint
    evidence = world.partner_evidence
    client.force_login(world.nurse)
    page = client.get(reverse("delegation:assessment_detail", kwargs={"pk": evidence.pk}))
    assert 'data-testid="return-form"' in page.content.decode()
    response = _return(client, evidence, "Add how you checked the injection site.")
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.RETURNED
    assert evidence.assessed_by == world.nurse
    assert evidence.assessor_organisation == world.partner_organisation
    comment = EvidenceComment.objects.get(evidence=evidence, kind=EvidenceComment.Kind.RETURNED)
    assert (comment.author, comment.text) == (world.nurse, "Add how you checked the injection site.")
    # The trainee reads it on their evidence.
    client.force_login(world.person(Role.TRAINEE))
    mine = client.get(reverse("evidence:detail", kwargs={"pk": evidence.pk})).content.decode()
    assert "Add how you checked the injection site." in mine


def test_a_return_without_a_comment_is_refused_next_to_the_field(client, joint):
    world = joint
    client.force_login(world.nurse)
    response = _return(client, world.partner_evidence, "  ")
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"]
    world.partner_evidence.refresh_from_db()
    assert world.partner_evidence.status == Evidence.Status.SUBMITTED


def test_a_return_on_a_page_opened_before_a_change_is_refused_and_the_page_shown_again(client, joint):
    world = joint
    evidence = world.partner_evidence
    client.force_login(world.nurse)
    response = client.post(
        reverse("delegation:assessment_return", kwargs={"pk": evidence.pk}),
        {"return-version": evidence.version - 1, "return-comment": "Add the site you used."},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "delegation/assessment_detail.html"
    assert "Someone else changed this evidence" in str(response.context["return_form"].non_field_errors())
    assert response.context["form"] is not None  # the sign-off form is still offered beside it
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED


def test_evidence_for_a_competency_the_partnership_does_not_name_cannot_be_returned(client, joint):
    world = joint
    unnamed = submit(world.trainee, [world.blood_glucose], title="Blood glucose, observed")
    client.force_login(world.nurse)
    # Not the partner's to see at all, so not to return either.
    assert client.get(reverse("delegation:assessment_detail", kwargs={"pk": unnamed.pk})).status_code == 404
    assert _return(client, unnamed, "More, please.").status_code == 404
    unnamed.refresh_from_db()
    assert unnamed.status == Evidence.Status.SUBMITTED


def test_a_practitioner_of_no_partner_finds_nothing_to_return(client, joint):
    world = joint
    client.force_login(world.outsider)
    assert _return(client, world.partner_evidence, "More, please.").status_code in (403, 404)
    world.partner_evidence.refresh_from_db()
    assert world.partner_evidence.status == Evidence.Status.SUBMITTED
