"""The organisation's sign-off statement and trainee's declaration: shown as they read now,
ticked or refused on their own field, and kept with the evidence and each version of
attainment as they read at that moment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competencies.assessment.services import assessment_policy_update
from competencies.evidence import services
from competencies.models import AttainmentDecision, Evidence
from programmes.models import Role

from .factories import submit
from .test_pages import _form

STATEMENT = "I have observed the trainee perform this safely on at least three occasions."
DECLARATION = "This is my own work and describes care I gave."


def _policy(world, *, statement=STATEMENT, declaration=DECLARATION):
    return assessment_policy_update(
        organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD),
        assessor_statement=statement, trainee_declaration=declaration, delegated_task_validity_months=12,
    )


def _sign_off_data(evidence, frameworks, **extra):
    return {
        "sign_off-version": evidence.version,
        f"sign_off-level_{frameworks.observations.pk}": "1",
        f"sign_off-level_{frameworks.escalation.pk}": "3",
        "sign_off-comment": "Clear and safe.",
        **extra,
    }


def test_the_sign_off_form_shows_the_statement_and_refuses_a_sign_off_unticked(client_as, world, frameworks):
    _policy(world)
    evidence = submit(world.trainee, [frameworks.observations, frameworks.escalation])
    client = client_as(Role.MENTOR)
    page = client.get(reverse("evidence:detail", kwargs={"pk": evidence.pk})).content.decode()
    assert f"I confirm: {STATEMENT}" in page

    url = reverse("evidence:sign_off", kwargs={"pk": evidence.pk})
    refused = client.post(url, _sign_off_data(evidence, frameworks, action="sign_off"))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Tick the box to confirm the sign-off statement, or record progress instead" in html
    assert html.count("Tick the box to confirm the sign-off statement") == 2  # the summary and the field
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert not AttainmentDecision.objects.filter(evidence=evidence).exists()

    done = client.post(url, _sign_off_data(evidence, frameworks, action="sign_off", **{"sign_off-agree": "on"}))
    assert done.status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SIGNED_OFF
    decisions = AttainmentDecision.objects.filter(evidence=evidence, kind="signed_off")
    assert decisions.count() == 2 and {d.statement for d in decisions} == {STATEMENT}


def test_the_statement_is_kept_as_it_read_when_the_organisation_changes_it(world, frameworks):
    _policy(world)
    evidence = submit(world.trainee, [frameworks.escalation])
    services.evidence_sign_off(
        evidence=evidence, assessor=world.person(Role.MENTOR), levels={frameworks.escalation.pk: 3},
        statement_confirmed=True,
    )
    _policy(world, statement="A new statement.")
    assert AttainmentDecision.objects.get(evidence=evidence).statement == STATEMENT


def test_recording_progress_needs_no_statement(world, frameworks):
    _policy(world)
    evidence = submit(world.trainee, [frameworks.escalation])
    services.evidence_sign_off(
        evidence=evidence, assessor=world.person(Role.MENTOR), levels={frameworks.escalation.pk: 0},
        below_target=True, statement_confirmed=False,
    )
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.PROGRESS
    assert AttainmentDecision.objects.get(evidence=evidence).statement == ""


def test_the_service_refuses_an_unconfirmed_sign_off_on_the_agree_field(world, frameworks):
    _policy(world)
    evidence = submit(world.trainee, [frameworks.escalation])
    with pytest.raises(ValidationError) as refused:
        services.evidence_sign_off(
            evidence=evidence, assessor=world.person(Role.MENTOR), levels={frameworks.escalation.pk: 3},
            statement_confirmed=False,
        )
    assert "agree" in refused.value.message_dict


def test_the_trainee_declares_on_submission_and_it_is_kept_with_the_sign_off(client_as, world, frameworks):
    _policy(world)
    client = client_as(Role.TRAINEE)
    assert f"I declare: {DECLARATION}" in client.get(reverse("evidence:create")).content.decode()

    refused = client.post(reverse("evidence:create"), _form(frameworks))
    assert refused.status_code == 200
    assert "Tick the box to make the declaration" in refused.content.decode()
    assert not Evidence.objects.exists()

    done = client.post(reverse("evidence:create"), {**_form(frameworks), "agree": "on"})
    assert done.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.declaration == DECLARATION
    _policy(world, declaration="Changed later.")
    services.evidence_sign_off(
        evidence=evidence, assessor=world.person(Role.MENTOR),
        levels={frameworks.observations.pk: 1, frameworks.escalation.pk: 3},
    )
    assert {d.declaration for d in AttainmentDecision.objects.filter(evidence=evidence)} == {DECLARATION}
    page = client_as(Role.MENTOR).get(reverse("evidence:detail", kwargs={"pk": evidence.pk})).content.decode()
    assert DECLARATION in page


def test_no_declaration_no_box(client_as, world, frameworks):
    _policy(world, statement="", declaration="")
    client = client_as(Role.TRAINEE)
    assert "I declare" not in client.get(reverse("evidence:create")).content.decode()
    assert client.post(reverse("evidence:create"), _form(frameworks)).status_code == 302
