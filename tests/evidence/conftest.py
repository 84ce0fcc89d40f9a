"""Evidence tests: uploaded files go to a temporary folder; two frameworks (a national one and
Acme's own) with a competency each, in the programme's role profile."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from competencies.models import Competency, Framework, RoleProfileItem

from .factories import FOUR_LEVELS, make_competency, make_framework, make_profile


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Frameworks:
    national: Framework  # two levels: not yet competent, competent
    own: Framework  # Acme's own, four levels
    observations: Competency  # national, core, target "Competent" (1)
    escalation: Competency  # Acme's, role-specific, target "Level 3" (2)


@pytest.fixture
def frameworks(world) -> Frameworks:
    national = make_framework(short_name="Care Certificate", version="2025")
    own = make_framework(organisation=world.organisation, short_name="Acme AP competencies", levels=FOUR_LEVELS)
    observations = make_competency(national, "Physical health observations", id_number="CC10")
    escalation = make_competency(own, "Escalating a deteriorating patient", id_number="AP3")
    make_profile(world.programme, [
        (observations, 1, RoleProfileItem.Kind.CORE),
        (escalation, 2, RoleProfileItem.Kind.ROLE_SPECIFIC),
    ])
    return Frameworks(national=national, own=own, observations=observations, escalation=escalation)
