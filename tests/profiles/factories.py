"""Small builders for frameworks, competencies, courses and role profiles. Frameworks and
competencies are made with the ORM (loading frameworks is another feature's job); everything
the profiles feature writes goes through its services."""

from __future__ import annotations

import itertools

from competencies.models import Competency, Framework, Scale
from competencies.profiles import services

_numbers = itertools.count(1)

COMPETENT = [
    {"name": "Not yet competent", "proficient": False},
    {"name": "Competent", "proficient": True},
]
KSF_LEVELS = [
    {"name": "Level 1", "proficient": False},
    {"name": "Level 2", "proficient": True},
    {"name": "Level 3", "proficient": True},
    {"name": "Level 4", "proficient": True},
]


def make_scale(name: str = "Competence", levels=None) -> Scale:
    return Scale.objects.create(name=name, levels=levels or COMPETENT, default_index=0)


def make_framework(
    *,
    organisation=None,
    id_number: str | None = None,
    short_name: str | None = None,
    scale: Scale | None = None,
    competencies=(),
    count: int = 0,
) -> Framework:
    """A framework (national unless ``organisation``) with competencies given as
    (id_number, short_name) pairs, or ``count`` numbered ones."""
    n = next(_numbers)
    framework = Framework.objects.create(
        organisation=organisation,
        id_number=id_number or f"FW-{n}",
        short_name=short_name or f"Framework {n}",
        scale=scale or make_scale(),
    )
    pairs = list(competencies) or [
        (f"{framework.id_number}-{i}", f"Competency {i}") for i in range(1, count + 1)
    ]
    Competency.objects.bulk_create(
        Competency(framework=framework, id_number=id_number, short_name=name, sort_order=index)
        for index, (id_number, name) in enumerate(pairs)
    )
    return framework


def competency(framework: Framework, id_number: str) -> Competency:
    return Competency.objects.select_related("framework__scale", "scale").get(
        framework=framework, id_number=id_number
    )


def add_to_profile(programme, competencies, *, kind="core", target_level=None):
    profile = services.role_profile_get_or_create(programme)
    return services.role_profile_add(
        profile=profile, competencies=list(competencies), kind=kind, target_level=target_level
    )
