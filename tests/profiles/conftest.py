"""A national framework (Care Certificate-like) and Acme's own, for the profiles tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from competencies.models import Competency, Framework
from programmes.models import Role

from .factories import KSF_LEVELS, competency, make_framework, make_scale


@dataclass
class Frameworks:
    national: Framework
    national_other: Framework
    own: Framework
    others: Framework  # the outsider's organisation's own

    def c(self, framework: Framework, id_number: str) -> Competency:
        return competency(framework, id_number)


@pytest.fixture
def frameworks(world) -> Frameworks:
    return Frameworks(
        national=make_framework(
            id_number="CC-2015",
            short_name="Care Certificate",
            competencies=[
                ("CC5", "Work in a person-centred way"),
                ("CC6", "Communication"),
                ("CC13", "Health and safety"),
            ],
        ),
        national_other=make_framework(
            id_number="KSF",
            short_name="NHS KSF",
            scale=make_scale("KSF levels", KSF_LEVELS),
            competencies=[
                ("C1", "Communication"),
                ("HWB4", "Enablement to address health and wellbeing needs"),
            ],
        ),
        own=make_framework(
            organisation=world.organisation,
            id_number="ACME-IAP",
            short_name="Acme IAP competencies",
            competencies=[
                ("IAP-1", "Physical health checks"),
                ("IAP-2", "Therapeutic activities"),
                ("IAP-3", "Physical healthcare audit"),
                ("IAP-4", "Recovery-focused care planning"),
            ],
        ),
        others=make_framework(
            organisation=world.other_organisation,
            id_number="OTHER-HCSW",
            short_name="Other's own",
            competencies=[("OT-1", "Rehabilitation routine")],
        ),
    )


@pytest.fixture
def lead(world):
    return world.person(Role.TRAINING_LEAD)
