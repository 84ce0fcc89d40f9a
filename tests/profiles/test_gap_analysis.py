"""Gap analysis: which of the role's competencies existing education already covers."""

from __future__ import annotations

import pickle

import pytest
from django.urls import reverse

from competencies.models import Course, Mapping
from competencies.profiles import selectors, services
from competencies.profiles.selectors import Coverage
from programmes.models import Membership, Role

from ..programmes.helpers import Page
from .factories import add_to_profile, make_framework


def _membership(world, role=Role.TRAINING_LEAD):
    return Membership.objects.get(user=world.person(role), organisation=world.organisation)


@pytest.fixture
def scenario(world, frameworks, lead):
    """CC5 national (core); IAP-2 mapped to national CC6 (role-specific); IAP-3 covered by a
    course (role-specific); IAP-4 mapped to a competency of another own framework that a
    course covers (role-specific); IAP-1 nothing (core): a gap."""
    c = frameworks.c
    cc5, cc6 = c(frameworks.national, "CC5"), c(frameworks.national, "CC6")
    iap1, iap2, iap3, iap4 = (c(frameworks.own, f"IAP-{n}") for n in range(1, 5))
    add_to_profile(world.programme, [cc5, iap1], kind="core")
    add_to_profile(world.programme, [iap2, iap3, iap4], kind="role_specific")
    # Mapped the other way round: the national competency is the source.
    services.mapping_create(
        organisation=world.organisation,
        source=cc6,
        target=iap2,
        strength="partial",
        note="",
        actor=lead,
    )
    services.course_create(
        organisation=world.organisation,
        name="Physical healthcare audit course",
        provider="Acme",
        covers=[iap3],
        actor=lead,
    )
    recovery = make_framework(
        organisation=world.organisation,
        id_number="ACME-REC",
        short_name="Acme recovery",
        competencies=[("REC-1", "Recovery planning")],
    )
    rec1 = c(recovery, "REC-1")
    services.mapping_create(
        organisation=world.organisation,
        source=iap4,
        target=rec1,
        strength="equivalent",
        note="",
        actor=lead,
    )
    services.course_create(
        organisation=world.organisation,
        name="Recovery college",
        provider="",
        covers=[rec1],
        actor=lead,
    )
    # Another organisation's course and mapping never count for Acme (made with the ORM: the
    # services would refuse them).
    other_course = Course.objects.create(organisation=world.other_organisation, name="Elsewhere")
    other_course.covers.add(iap1)
    Mapping.objects.create(organisation=world.other_organisation, source=iap1, target=cc5)
    return world.programme.role_profile


def test_each_competency_gets_the_right_coverage(world, scenario):
    analysis = selectors.gap_analysis(profile=scenario, membership=_membership(world))
    coverage = {item.id_number: item.coverage for item in analysis.items}
    assert coverage == {
        # A national standard is not education: without a course it still needs teaching.
        "CC5": Coverage.STANDARD,
        "IAP-1": Coverage.GAP,
        "IAP-2": Coverage.STANDARD,
        "IAP-3": Coverage.COURSE,
        "IAP-4": Coverage.COURSE,
    }
    by_id = {item.id_number: item for item in analysis.items}
    [mapped] = by_id["IAP-2"].mapped_to
    assert (mapped.id_number, mapped.framework, mapped.strength) == (
        "CC6",
        "Care Certificate",
        "partial",
    )
    assert [c.name for c in by_id["IAP-3"].courses] == ["Physical healthcare audit course"]
    [via] = by_id["IAP-4"].courses
    assert (via.name, via.via) == ("Recovery college", "REC-1 Recovery planning")
    assert by_id["IAP-4"].mapped_to == ()  # mapped, but not to a national competency
    assert by_id["IAP-1"].is_gap and by_id["IAP-1"].courses == () and by_id["IAP-1"].mapped_to == ()
    assert [g.id_number for g in analysis.gaps] == ["IAP-1"]


def test_the_totals_are_per_kind_and_per_coverage(world, scenario):
    analysis = selectors.gap_analysis(profile=scenario, membership=_membership(world))
    assert analysis.total == 5
    assert (analysis.kind("core").total, analysis.kind("role_specific").total) == (2, 3)
    assert analysis.count("standard", kind="core") == 1 and analysis.count("gap", kind="core") == 1
    assert analysis.count(Coverage.COURSE, kind="role_specific") == 2
    assert [(c.coverage.value, c.count, c.percent) for c in analysis.counts] == [
        ("course", 2, 40.0),
        ("standard", 2, 40.0),
        ("gap", 1, 20.0),
    ]
    [course_row, _, _] = analysis.summary
    assert [c.count for c in course_row.by_kind] == [0, 2] and course_row.all.percent == 40.0
    assert [c.percent for c in analysis.kind("role_specific").counts] == [66.7, 33.3, 0.0]


def test_national_standards_alone_are_not_counted_as_taught(world, frameworks, lead):
    """A role built only from national standards (venepuncture, ECG) is not "100% covered":
    every item still needs education until a course teaches it."""
    c = frameworks.c
    add_to_profile(world.programme, [c(frameworks.national, "CC5"), c(frameworks.national, "CC6")], kind="core")
    analysis = selectors.gap_analysis(profile=world.programme.role_profile, membership=_membership(world))
    assert [(x.coverage.value, x.count) for x in analysis.counts] == [("course", 0), ("standard", 2), ("gap", 0)]


def test_the_analysis_is_plain_data(world, scenario):
    analysis = selectors.gap_analysis(profile=scenario, membership=_membership(world))
    assert pickle.loads(pickle.dumps(analysis)) == analysis  # noqa: S301 (our own bytes)  # e.g. for a Celery report task


def test_an_empty_profile_has_nothing_to_analyse(world):
    from competencies.models import RoleProfile

    analysis = selectors.gap_analysis(
        profile=RoleProfile(programme=world.programme), membership=_membership(world)
    )
    assert analysis.total == 0
    assert all(c.percent == 0.0 for c in analysis.counts)


def test_a_membership_that_cannot_see_the_programme_gets_nothing(world, scenario):
    outsider = Membership.objects.get(user=world.outsider)
    assert selectors.gap_analysis(profile=scenario, membership=outsider).total == 0


def test_the_page_highlights_gaps_in_words_and_colour(client_as, world, scenario):
    response = client_as(Role.TRAINING_LEAD).get(
        reverse("profiles:gap_analysis", kwargs={"programme_pk": world.programme.pk})
    )
    body = response.content.decode()
    assert "The role needs 5 competencies: 2 core and 3 role-specific." in body
    assert (
        '<strong class="nhsuk-tag nhsuk-tag--red" data-coverage="gap">'
        "Gap: no course, no national standard</strong>" in body
    )
    assert "Recovery college" in body and "through REC-1 Recovery planning" in body
    assert "Map it to a national competency" in body  # the lead is shown what to do
    assert "(40%)" in body
    # The summary is a table: coverage as each row's heading, a count per kind of competency.
    gap_row = Page(response).rows(data_testid="summary-gap")[0]
    assert gap_row == {
        "Coverage": "Gap: no course, no national standard",
        "Core": "1 (50%)",
        "Role-specific": "0 (0%)",
        "All": "1 (20%)",
    }


def test_the_page_is_refused_to_trainees(client_as, world, scenario):
    url = reverse("profiles:gap_analysis", kwargs={"programme_pk": world.programme.pk})
    assert client_as(Role.TRAINEE).get(url).status_code == 403
    mentor_page = client_as(Role.MENTOR).get(url).content.decode()
    assert (
        "Gap: no course, no national standard" in mentor_page
        and "Map it to a national competency" not in mentor_page
    )
