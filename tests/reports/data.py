"""Test records for reports, made through the services people use: a role profile of three
competencies (two core, one role-specific), trainees on the world's cohort managed and
mentored by the world's manager and mentor, each with study time, a review and evidence (the
first competency signed off at the target, the second signed off below it, the third
waiting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from competencies.models import Competency, RoleProfileItem
from programmes.models import Role
from tests.evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit
from tests.trainees.helpers import add_history, add_trainee


@dataclass
class Profile:
    observations: Competency  # core, target Competent (1 of 2 levels)
    escalation: Competency  # role-specific, target Level 3 (2 of 4 levels)
    handover: Competency  # core, target Competent


def add_profile(world) -> Profile:
    national = make_framework(short_name="Care Certificate", version="2025")
    own = make_framework(organisation=world.organisation, short_name="Acme AP competencies", levels=FOUR_LEVELS)
    profile = Profile(
        observations=make_competency(national, "Physical health observations", id_number="CC10"),
        escalation=make_competency(own, "Escalating a deteriorating patient", id_number="AP3"),
        handover=make_competency(national, "Handover of care", id_number="CC12"),
    )
    make_profile(world.programme, [
        (profile.observations, 1, RoleProfileItem.Kind.CORE),
        (profile.escalation, 2, RoleProfileItem.Kind.ROLE_SPECIFIC),
        (profile.handover, 1, RoleProfileItem.Kind.CORE),
    ])
    return profile


def add_evidence(world, trainee, profile: Profile, *, pieces: int = 1) -> None:
    actor = trainee.user or world.person(Role.TRAINING_LEAD)
    for n in range(pieces):
        met = submit(trainee, [profile.observations], actor=actor, title=f"Observed NEWS2 round {n + 1}",
                     occurred_on=date(2026, 3, 2))
        sign_off(met, {profile.observations.pk: 1})
    below = submit(trainee, [profile.escalation], actor=actor, title="Escalation simulation",
                   occurred_on=date(2026, 3, 9))
    sign_off(below, {profile.escalation.pk: 1})
    submit(trainee, [profile.handover], actor=actor, title="Handover reflection", occurred_on=date(2026, 3, 16))


def grow(world, profile: Profile, to: int) -> None:
    """The cohort grows to ``to`` trainees (Sam, the world's trainee, first), each with
    history and evidence."""
    have = world.cohort.enrolments.count()
    if have == 1 and not world.enrolment.study_sessions.exists():
        add_history(world, world.enrolment)
        add_evidence(world, world.trainee, profile)
    for n in range(have, to):
        trainee, enrolment = add_trainee(
            world, first_name=f"Trainee{n:02d}", last_name="Grown", employee_number=f"G{n:03d}",
            line_manager=world.person(Role.MANAGER), mentor=world.person(Role.MENTOR),
        )
        add_history(world, enrolment)
        add_evidence(world, trainee, profile)
