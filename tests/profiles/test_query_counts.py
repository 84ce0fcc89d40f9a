"""The role profile and gap analysis pages cost the same number of queries at 5 and at 15
competencies, whatever their mix of coverage."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.profiles import services
from programmes.models import Membership, Role

from .factories import add_to_profile, make_framework, make_scale


def _build(world, n: int) -> None:
    """n items: a fifth national, a fifth own mapped to national, a fifth own covered by a
    course, a fifth own mapped to a course-covered competency, the rest gaps; core and
    role-specific alternately; some competencies on their own scale."""
    lead = world.person(Role.TRAINING_LEAD)
    national = make_framework(id_number=f"NAT-{n}", count=n)
    own = make_framework(organisation=world.organisation, id_number=f"OWN-{n}", count=n)
    extra = make_framework(organisation=world.organisation, id_number=f"EXTRA-{n}", count=n)
    special = make_scale(
        "Special", [{"name": "Aware", "proficient": False}, {"name": "Skilled", "proficient": True}]
    )
    own.competencies.filter(sort_order__lt=n // 3).update(scale=special)
    nat = list(national.competencies.select_related("framework__scale", "scale"))
    mine = list(own.competencies.select_related("framework__scale", "scale"))
    others = list(extra.competencies.select_related("framework__scale", "scale"))
    fifth = n // 5
    course = services.course_create(
        organisation=world.organisation, name=f"Course {n}", covers=[], actor=lead
    )
    chosen = nat[:fifth] + mine[: n - fifth]
    for index, competency in enumerate(mine[: n - fifth]):
        group = index % 4
        if group == 0:
            services.mapping_create(
                organisation=world.organisation, source=competency, target=nat[index], actor=lead
            )
        elif group == 1:
            course.covers.add(competency)
        elif group == 2:
            services.mapping_create(
                organisation=world.organisation, source=others[index], target=competency, actor=lead
            )
            course.covers.add(others[index])
    add_to_profile(world.programme, chosen[::2], kind="core")
    add_to_profile(world.programme, chosen[1::2], kind="role_specific")
    assert world.programme.role_profile.items.count() == n


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name, expected",
    [
        # session, user, memberships (middleware); programme; role profile; items with their
        # competencies, frameworks and scales.
        ("profiles:role_profile", 6),
        # ... as above, plus the mappings of the items and the courses covering them or what
        # they are mapped to.
        ("profiles:gap_analysis", 8),
    ],
)
@pytest.mark.parametrize("n", [5, 15])
def test_the_page_costs_the_same_at_5_and_15_items(client_as, world, url_name, expected, n):
    _build(world, n)
    client = client_as(Role.TRAINING_LEAD)
    url = reverse(url_name, kwargs={"programme_pk": world.programme.pk})
    client.get(url)  # warm the content-type and other per-process caches
    assert _queries(client, url) == expected


def test_the_gap_analysis_selector_costs_three_queries(world):
    from competencies.profiles.selectors import gap_analysis, role_profile_of
    from programmes.selectors import get_programme_for

    _build(world, 15)
    membership = Membership.objects.select_related("organisation").get(
        user=world.person(Role.PLANNER)
    )
    programme = get_programme_for(membership=membership, pk=world.programme.pk)
    profile = role_profile_of(programme)
    with CaptureQueriesContext(connection) as queries:
        analysis = gap_analysis(profile=profile, membership=membership)
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert analysis.total == 15
    assert {c.coverage.value: c.count for c in analysis.counts} == {
        "course": 6,
        "standard": 6,
        "gap": 3,
    }
