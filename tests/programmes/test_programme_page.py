"""The programme page: what it shows, to whom, and its query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from programmes import services
from programmes.models import Role

from .helpers import Page, partner_organisation


def detail(world):
    return reverse("programmes:detail", kwargs={"pk": world.programme.pk})


def test_the_page_shows_the_programme(client_as, world):
    university, lecturer, _ = partner_organisation(world)
    services.programme_update(
        programme=world.programme,
        description="Physical healthcare on the wards.",
        education_route="foundation_degree",
        education_detail="FdSc Mental Health, Westmoor University",
        funding_source="SHA development funding",
        drivers_and_standards=["NMC standards of proficiency", "Skills for Health NOS"],
    )
    page = Page(client_as(Role.MENTOR).get(detail(world)))

    assert page.text(data_testid="programme-status") == "Planning"
    summary = page.text(data_testid="programme-summary")
    for expected in (
        "Inpatient mental health",
        "Acme Mental Health NHS Trust",
        "Westmoor University",
        "Larch Ward",
        "Foundation degree",
        "FdSc Mental Health, Westmoor University",
        "SHA development funding",
        "Code of practice Not uploaded",
    ):
        assert expected in summary
    assert page.items(data_testid="intended-benefits") == [
        "Improve service users' access to physical healthcare"
    ]
    assert page.items(data_testid="drivers-and-standards") == [
        "NMC standards of proficiency",
        "Skills for Health NOS",
    ]
    cohort = page.rows(data_testid="cohort")[0]
    assert cohort == {
        "Cohort": "Cohort 1",
        "Starts": "5 Jan 2026",
        "Expected end": "17 Dec 2027",
        "Study hours a week": "7.5",
        "Lecturers": world.person(Role.LECTURER).get_full_name(),
        "Trainees": "1",
    }


def test_edit_links_and_history_are_for_the_lead_organisations_training_leads(client_as, world):
    edit = reverse("programmes:edit", kwargs={"pk": world.programme.pk})
    for role in (Role.MANAGER, Role.MENTOR, Role.LECTURER, Role.PLANNER):
        page = Page(client_as(role).get(detail(world)))
        assert edit not in page.links(), role
        assert not page.has(data_testid="audit-trail"), role

    page = Page(client_as(Role.TRAINING_LEAD).get(detail(world)))
    links = page.links()
    assert edit in links
    assert reverse("programmes:milestone_create", kwargs={"pk": world.programme.pk}) in links
    assert reverse("programmes:cohort_edit", kwargs={"pk": world.cohort.pk}) in links
    history = page.text(data_testid="audit-trail")
    assert (
        "Create programme" in history
        and "Create milestone" in history
        and "Create cohort" in history
    )


def test_a_change_made_through_the_page_appears_in_the_history_with_who_made_it(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    client.post(
        reverse("programmes:milestone_edit", kwargs={"pk": world.milestone.pk}),
        {
            "title": "Project team formed with service users",
            "description": "",
            "due_on_day": "15",
            "due_on_month": "1",
            "due_on_year": "2026",
            "done_on_day": "",
            "done_on_month": "",
            "done_on_year": "",
        },
    )
    history = Page(client.get(detail(world))).text(data_testid="audit-trail")
    assert world.person(Role.TRAINING_LEAD).get_full_name() in history
    assert "Project team formed with service users" in history


def test_a_trainee_and_an_outsider_are_refused(client_as, world):
    assert client_as(Role.TRAINEE).get(detail(world)).status_code == 403
    assert client_as("outsider").get(detail(world)).status_code == 404


def test_a_partner_member_sees_the_page_read_only(client, world):
    _, lecturer, _ = partner_organisation(world)
    client.force_login(lecturer)
    page = Page(client.get(detail(world)))
    assert page.has(data_testid="partner-notice")
    assert [row["Cohort"] for row in page.rows(data_testid="cohort")] == []  # teaches none yet
    services.cohort_update(cohort=world.cohort, lecturers=[lecturer])
    page = Page(client.get(detail(world)))
    assert [row["Cohort"] for row in page.rows(data_testid="cohort")] == ["Cohort 1"]


@pytest.mark.parametrize("extra", [5, 50])
def test_the_page_costs_the_same_queries_with_5_or_50_cohorts_and_milestones(
    client_as, world, django_assert_num_queries, extra
):
    _, lecturer, _ = partner_organisation(world)
    area = services.clinical_area_ensure(organisation=world.organisation, name="Birch Ward")
    services.programme_update(programme=world.programme, clinical_areas=[world.ward, area])
    start = date(2026, 1, 5)
    for i in range(extra):
        services.milestone_create(
            programme=world.programme,
            title=f"Step {i}",
            due_on=start + timedelta(days=7 * i),
            done_on=start if i % 2 else None,
        )
        services.cohort_create(
            programme=world.programme,
            name=f"Cohort {i + 2}",
            starts_on=start,
            ends_on=start + timedelta(days=700),
            lecturers=[lecturer, world.person(Role.LECTURER)],
        )
    client = client_as(Role.TRAINING_LEAD)
    client.get(detail(world))  # warm caches (content types, templates)
    # 1 session, 2 user, 3 acting memberships, 4 the programme with its lead organisation,
    # 5 partners, 6 clinical areas, 7 milestones, 8 cohorts with trainee counts,
    # 9 the cohorts' lecturers, 10 the audit trail with its actors (the session is not saved:
    # its refresh is not due, core.sessions).
    with django_assert_num_queries(10):
        response = client.get(detail(world))
    page = Page(response)
    assert len(page.rows(data_testid="cohort")) == extra + 1
    assert len(page.rows(data_testid="milestone")) == extra + 1
