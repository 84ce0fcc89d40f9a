"""Builders for credential tests: a delegated task in Acme's role profile, signed off through
the evidence services (the receivers issue the credential after commit)."""

from __future__ import annotations

from competencies.evidence.services import decision_record
from competencies.models import RoleProfileItem
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


def record_withdrawal(trainee, task) -> None:
    """What the lifecycle feature's withdrawal does, as far as credentials can tell: a
    "withdrawn" version of the attainment, and attainment_changed saying so after commit."""
    decision_record(
        trainee=trainee, competency=task, kind="withdrawn", level=None, decided_by=trainee.mentor,
        comment="Concern raised at supervision.",
    )
    announce_attainment_changed([(trainee.pk, task.pk)], "withdrawn")


def withdraw_sign_off(trainee, task, capture) -> None:
    with capture(execute=True):
        record_withdrawal(trainee, task)
