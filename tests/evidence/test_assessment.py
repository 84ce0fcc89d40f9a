"""Signing off and returning evidence: who may, what is recorded, and the conversation kept."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from competencies.evidence import services
from competencies.models import Evidence, EvidenceComment
from programmes.models import Role
from trainees import services as trainee_services

from ..conftest import make_person
from .factories import submit


def test_the_mentor_signs_off_at_a_level_for_each_competency(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations, frameworks.escalation])
    mentor = world.person(Role.MENTOR)

    signed = services.evidence_sign_off(
        evidence=evidence, assessor=mentor, comment="Well escalated.",
        levels={frameworks.observations.pk: 1, frameworks.escalation.pk: 2},
        expected_version=evidence.version,
    )

    assert signed.status == Evidence.Status.SIGNED_OFF
    assert signed.assessed_by == mentor and signed.assessed_at is not None
    assert dict(signed.claims.values_list("competency_id", "level_awarded")) == {
        frameworks.observations.pk: 1, frameworks.escalation.pk: 2
    }
    entry = signed.comments.get()
    assert (entry.kind, entry.author, entry.text) == (EvidenceComment.Kind.SIGNED_OFF, mentor, "Well escalated.")
    # Attributable: the audit log names the mentor as the one who changed the evidence.
    change = LogEntry.objects.get_for_object(signed).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == mentor
    assert change.changes_dict["status"] == ["submitted", "signed_off"]


def test_sign_off_needs_a_level_of_each_competencys_own_scale(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations, frameworks.escalation])
    with pytest.raises(ValidationError) as caught:
        services.evidence_sign_off(
            evidence=evidence, assessor=world.person(Role.MENTOR),
            levels={frameworks.observations.pk: 3},  # the national scale has two values
        )
    errors = caught.value.message_dict
    assert errors[f"level_{frameworks.observations.pk}"][0].startswith("Choose one of the levels of")
    assert errors[f"level_{frameworks.escalation.pk}"] == [
        "Choose the level reached for AP3 Escalating a deteriorating patient."
    ]
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED


@pytest.mark.parametrize("role", [Role.MANAGER, Role.TRAINING_LEAD, Role.LECTURER, Role.TRAINEE])
def test_only_the_trainees_mentor_may_sign_off(world, frameworks, role):
    evidence = submit(world.trainee, [frameworks.observations])
    with pytest.raises(PermissionDenied):
        services.evidence_sign_off(
            evidence=evidence, assessor=world.person(role), levels={frameworks.observations.pk: 1}
        )


def test_another_mentor_of_the_organisation_may_not_sign_off(world, frameworks):
    other_mentor = make_person(world.organisation, Role.MENTOR, "mentor2.acme")
    evidence = submit(world.trainee, [frameworks.observations])
    with pytest.raises(PermissionDenied):
        services.evidence_sign_off(evidence=evidence, assessor=other_mentor, levels={frameworks.observations.pk: 1})


def test_return_needs_a_comment_and_the_reply_keeps_the_thread(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    mentor, trainee_user = world.person(Role.MENTOR), world.trainee.user
    with pytest.raises(ValidationError) as caught:
        services.evidence_return(evidence=evidence, assessor=mentor, comment="  ")
    assert caught.value.message_dict == {"comment": ["Say what the trainee needs to change."]}

    returned = services.evidence_return(evidence=evidence, assessor=mentor, comment="Add the NEWS2 score.")
    assert returned.status == Evidence.Status.RETURNED
    services.evidence_reply(evidence=returned, author=trainee_user, text="Which observation set?")
    services.evidence_reply(evidence=returned, author=mentor, text="The one at 14:00.")

    thread = list(returned.comments.values_list("author__username", "kind", "text"))
    assert thread == [
        ("mentor.acme", "returned", "Add the NEWS2 score."),
        ("trainee.acme", "reply", "Which observation set?"),
        ("mentor.acme", "comment", "The one at 14:00."),
    ]
    with pytest.raises(PermissionDenied):
        services.evidence_reply(evidence=returned, author=world.person(Role.MANAGER), text="Hello")


def test_returned_evidence_cannot_be_signed_off_until_resubmitted(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    evidence = services.evidence_return(evidence=evidence, assessor=world.person(Role.MENTOR), comment="More detail.")
    with pytest.raises(ValidationError, match="only evidence waiting for assessment can be signed off"):
        services.evidence_sign_off(
            evidence=evidence, assessor=world.person(Role.MENTOR), levels={frameworks.observations.pk: 1}
        )


def test_a_stale_sign_off_is_refused(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    read_version = evidence.version
    services.evidence_update(
        evidence=evidence, actor=world.trainee.user, title="Changed meanwhile", kind="observation",
        occurred_on=evidence.occurred_on, description="x", competencies=[frameworks.observations],
    )
    with pytest.raises(services.StaleEdit) as caught:
        services.evidence_sign_off(
            evidence=evidence, assessor=world.person(Role.MENTOR), levels={frameworks.observations.pk: 1},
            expected_version=read_version,
        )
    assert caught.value.messages == [services.STALE_MESSAGE]


# --- Through the pages ----------------------------------------------------------------------------


def test_the_mentor_signs_off_on_the_page(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations, frameworks.escalation])
    client = client_as(Role.MENTOR)
    page = client.get(reverse("evidence:detail", kwargs={"pk": evidence.pk}))
    assert b'data-testid="sign-off-form"' in page.content
    assert "Target in the role profile: Level 3." in page.content.decode()

    response = client.post(reverse("evidence:sign_off", kwargs={"pk": evidence.pk}), {
        "sign_off-version": evidence.version,
        f"sign_off-level_{frameworks.observations.pk}": "1",
        f"sign_off-level_{frameworks.escalation.pk}": "3",
        "sign_off-comment": "Clear and safe.",
    })
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SIGNED_OFF


def test_a_stale_sign_off_on_the_page_says_why(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    stale = evidence.version
    services.evidence_update(
        evidence=evidence, actor=world.trainee.user, title="Changed", kind="observation",
        occurred_on=evidence.occurred_on, description="x", competencies=[frameworks.observations],
    )
    response = client_as(Role.MENTOR).post(reverse("evidence:sign_off", kwargs={"pk": evidence.pk}), {
        "sign_off-version": stale, f"sign_off-level_{frameworks.observations.pk}": "1",
    })
    assert response.status_code == 200
    assert "Someone else changed this evidence after you opened the page." in response.content.decode()
    assert response.content.decode().count('class="nhsuk-error-summary"') == 1


def test_a_return_without_a_comment_is_shown_on_the_form(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    response = client_as(Role.MENTOR).post(
        reverse("evidence:return", kwargs={"pk": evidence.pk}), {"return-version": evidence.version}
    )
    assert response.status_code == 200
    assert "Say what the trainee needs to change." in response.content.decode()


def test_a_manager_sees_their_trainees_evidence_but_cannot_sign_it_off(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    client = client_as(Role.MANAGER)
    page = client.get(reverse("evidence:detail", kwargs={"pk": evidence.pk}))
    assert page.status_code == 200
    assert b"sign-off-form" not in page.content
    refused = client.post(reverse("evidence:sign_off", kwargs={"pk": evidence.pk}), {
        "sign_off-version": evidence.version, f"sign_off-level_{frameworks.observations.pk}": "1",
    })
    assert refused.status_code == 403
    returned = client.post(reverse("evidence:return", kwargs={"pk": evidence.pk}), {"return-comment": "x"})
    assert returned.status_code == 403
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED


def test_the_trainee_replies_on_the_page(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    services.evidence_return(evidence=evidence, assessor=world.person(Role.MENTOR), comment="Add the time.")
    client = client_as(Role.TRAINEE)
    response = client.post(reverse("evidence:reply", kwargs={"pk": evidence.pk}), {"reply-text": "Added it."})
    assert response.status_code == 302
    page = client.get(reverse("evidence:detail", kwargs={"pk": evidence.pk})).content.decode()
    assert page.index("Add the time.") < page.index("Added it.")


def test_a_mentor_who_is_also_the_trainee_cannot_assess_their_own_evidence(world, frameworks):
    # A mentor in the trust who is on the programme themself, with themself named as mentor.
    user = world.person(Role.MENTOR)
    own = trainee_services.trainee_create(
        organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD), first_name="Mo",
        last_name="Both", employee_number="E2002", mentor=user, user=user,
    )
    evidence = submit(own, [frameworks.observations])
    with pytest.raises(PermissionDenied):
        services.evidence_sign_off(evidence=evidence, assessor=user, levels={frameworks.observations.pk: 1})
