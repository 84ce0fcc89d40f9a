"""A sign-off is a version: every decision is kept, newest first, and only the newest counts.
A level below the target is progress, never "signed off"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competencies.evidence import services
from competencies.evidence.selectors import attainment_for, portfolio_for
from competencies.models import AttainmentDecision, Evidence
from competencies.profiles import services as profile_services
from competencies.signals import attainment_changed
from programmes.models import Role

from .factories import sign_off, submit


def _snapshot():
    return list(AttainmentDecision.objects.order_by("pk").values())


def test_versions_are_added_and_never_overwritten(world, frameworks):
    esc = frameworks.escalation
    sign_off(submit(world.trainee, [esc], title="First"), {esc.pk: 2})
    before = _snapshot()
    sign_off(submit(world.trainee, [esc], title="Second"), {esc.pk: 3})
    after = _snapshot()

    assert after[: len(before)] == before  # the first version is untouched
    assert [d["level"] for d in after] == [2, 3]
    history = portfolio_for(trainee=world.trainee).profile[1].history
    assert [d.level for d in history] == [3, 2]  # newest first
    assert attainment_for([world.trainee], [esc])[(world.trainee.pk, esc.pk)].level == 3


def test_a_lower_later_sign_off_is_evidence_not_a_new_version(world, frameworks):
    esc = frameworks.escalation
    sign_off(submit(world.trainee, [esc], title="Best"), {esc.pk: 3})
    sign_off(submit(world.trainee, [esc], title="Partial"), {esc.pk: 2})
    assert AttainmentDecision.objects.filter(trainee=world.trainee, competency=esc).count() == 1
    assert attainment_for([world.trainee], [esc])[(world.trainee.pk, esc.pk)].level == 3


def test_a_level_below_target_is_recorded_as_progress_never_signed_off(world, frameworks):
    obs = frameworks.observations  # target 1, "Competent"
    evidence = sign_off(submit(world.trainee, [obs]), {obs.pk: 0})

    assert evidence.status == Evidence.Status.PROGRESS
    assert evidence.get_status_display() == "Progress recorded: not yet at target"
    got = attainment_for([world.trainee], [obs])[(world.trainee.pk, obs.pk)]
    assert got.status == "below_target" and not got.meets(1)
    decision = AttainmentDecision.objects.get(evidence=evidence)
    assert decision.kind == AttainmentDecision.Kind.PROGRESS and decision.valid_until is None


def test_the_sign_off_action_refuses_a_level_below_target_on_its_field(world, frameworks):
    obs = frameworks.observations
    evidence = submit(world.trainee, [obs])
    with pytest.raises(ValidationError) as caught:
        services.evidence_sign_off(
            evidence=evidence, assessor=world.person(Role.MENTOR), levels={obs.pk: 0}, below_target=False
        )
    assert "record progress" in caught.value.message_dict[f"level_{obs.pk}"][0]
    with pytest.raises(ValidationError, match="sign the evidence off instead"):
        services.evidence_sign_off(
            evidence=evidence, assessor=world.person(Role.MENTOR), levels={obs.pk: 1}, below_target=True
        )
    assert Evidence.objects.get(pk=evidence.pk).status == Evidence.Status.SUBMITTED


def test_the_page_never_says_signed_off_below_target(client_as, world, frameworks):
    obs = frameworks.observations
    evidence = submit(world.trainee, [obs])
    mentor = client_as(Role.MENTOR)
    url = reverse("evidence:sign_off", kwargs={"pk": evidence.pk})
    refused = mentor.post(
        url, {"sign_off-version": evidence.version, f"sign_off-level_{obs.pk}": "0", "action": "sign_off"}
    )
    assert refused.status_code == 200 and "record progress" in refused.content.decode()
    done = mentor.post(
        url, {"sign_off-version": evidence.version, f"sign_off-level_{obs.pk}": "0", "action": "progress"}, follow=True
    )
    html = done.content.decode()
    assert "not yet at target, so it is not signed off" in html
    thread = html[html.index('id="thread"'):]
    assert '<strong class="nhsuk-tag nhsuk-tag--yellow">Progress recorded: not yet at target</strong>' in thread
    assert "nhsuk-tag--green" not in html
    portfolio = client_as(Role.TRAINEE).get(reverse("evidence:portfolio", kwargs={"trainee_pk": world.trainee.pk}))
    assert "Not yet at target" in portfolio.content.decode()


def test_each_sign_off_announces_the_pairs_after_commit(world, frameworks, django_capture_on_commit_callbacks):
    heard = []

    def receiver(sender, pairs, reason, **kwargs):
        heard.append((pairs, reason))

    attainment_changed.connect(receiver)
    try:
        esc = frameworks.escalation
        with django_capture_on_commit_callbacks(execute=True):
            sign_off(submit(world.trainee, [esc]), {esc.pk: 2})
    finally:
        attainment_changed.disconnect(receiver)
    assert heard == [([(world.trainee.pk, esc.pk)], "signed_off")]


def test_not_yet_competent_cannot_be_a_target(world, frameworks):
    item = frameworks.observations.profile_items.get()
    with pytest.raises(ValidationError, match="not a proficient level"):
        profile_services.role_profile_update_item(item=item, kind=item.kind, target_level=0)
