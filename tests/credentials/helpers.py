"""Builders for credential tests: a delegated task in Acme's role profile, signed off through
the evidence services (the receivers issue the credential after commit)."""

from __future__ import annotations

from competencies.models import Evidence, RoleProfileItem
from competencies.signals import announce_attainment_changed
from credentials.models import Credential

from ..evidence.factories import make_competency, make_framework, make_profile, sign_off, submit


def delegated_task(world, *, name: str = "Insulin administration", code: str = "SFHCHS216",
                   months: int = 12, profile: bool = True):
    framework = make_framework(short_name="Skills for Health NOS", id_number=f"NOS-{code}")
    task = make_competency(
        framework, name, id_number=code, is_delegated_task=True, reassessment_months=months,
        description="<p>Administer insulin to individuals as delegated by a registered practitioner.</p>",
    )
    if profile:
        make_profile(world.programme, [(task, 1, RoleProfileItem.Kind.ROLE_SPECIFIC)])
    return task


def sign_off_task(world, task, capture, *, level: int = 1, trainee=None) -> Credential | None:
    """Submit and sign off evidence for the task, running the after-commit receivers; the
    credential issued, if any."""
    trainee = trainee or world.trainee
    with capture(execute=True):
        sign_off(submit(trainee, [task], title=f"{task.short_name} observed"), {task.pk: level})
    return Credential.objects.filter(trainee=trainee, competency=task).order_by("-pk").first()


def withdraw_sign_off(trainee, task, capture) -> None:
    """What the lifecycle feature's withdrawal does, as far as credentials can tell: the sign-off
    no longer counts, and attainment_changed says "withdrawn" after commit."""
    with capture(execute=True):
        Evidence.objects.filter(trainee=trainee, claims__competency=task).update(status=Evidence.Status.RETURNED)
        announce_attainment_changed([(trainee.pk, task.pk)], "withdrawn")
