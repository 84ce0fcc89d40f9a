"""The programme list: who sees what, filtering, search, pagination, and its query count."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from programmes import services
from programmes.models import Role

from .helpers import Page, partner_organisation


def add_programmes(world, count: int, *, status="planning", prefix="Programme"):
    """``count`` more programmes of Acme, each with a cohort (so the counts have work to do)."""
    made = []
    for i in range(count):
        programme = services.programme_create(
            organisation=world.organisation,
            title=f"{prefix} {i:03d}",
            status=status,
            setting="Community",
        )
        services.cohort_create(
            programme=programme,
            name="Cohort 1",
            starts_on=date(2026, 1, 5),
            ends_on=date(2027, 1, 5),
        )
        made.append(programme)
    return made


def titles(response) -> list[str]:
    return [row["Programme"] for row in Page(response).rows(data_testid="programme-row")]


def test_the_list_shows_own_and_partnered_programmes_with_their_counts(client, world):
    university, lecturer, _ = partner_organisation(world)
    services.programme_create(organisation=university, title="University's own programme")

    client.force_login(world.person(Role.TRAINING_LEAD))
    rows = Page(client.get(reverse("programmes:list"))).rows(data_testid="programme-row")
    assert rows == [
        {
            "Programme": "Inpatient assistant practitioner",
            "Status": "Planning",
            "Setting": "Inpatient mental health",
            "Lead organisation": "Acme Mental Health NHS Trust",
            "Cohorts": "1",
            "Trainees": "1",
        }
    ]

    # The partner university's lecturer sees Acme's programme (as a partner) and their own.
    client.force_login(lecturer)
    assert titles(client.get(reverse("programmes:list"))) == [
        "Inpatient assistant practitioner",
        "University's own programme",
    ]
    # The outsider sees only their own organisation's.
    client.force_login(world.outsider)
    assert titles(client.get(reverse("programmes:list"))) == ["Generic clinical HCSW"]


def test_only_training_leads_get_the_create_button(client_as, world):
    create = reverse("programmes:create")
    for role in Role.values:
        response = client_as(role).get(reverse("programmes:list"))
        if role == Role.TRAINEE:
            assert response.status_code == 403
            continue
        assert response.status_code == 200
        assert (create in Page(response).links()) == (role == Role.TRAINING_LEAD), role


def test_filtering_by_status_and_searching_by_title(client_as, world):
    add_programmes(world, 2, status="running", prefix="Running")
    add_programmes(world, 1, status="closed", prefix="Closed community")
    client = client_as(Role.PLANNER)

    assert titles(client.get(reverse("programmes:list"), {"status": "running"})) == [
        "Running 000",
        "Running 001",
    ]
    assert titles(client.get(reverse("programmes:list"), {"q": "INPATIENT"})) == [
        "Inpatient assistant practitioner"
    ]
    assert titles(
        client.get(reverse("programmes:list"), {"q": "community", "status": "closed"})
    ) == ["Closed community 000"]
    nothing = client.get(reverse("programmes:list"), {"q": "dentistry"})
    assert titles(nothing) == []
    assert "No programmes match your search" in Page(nothing).text(data_testid="no-programmes")


def test_an_unknown_status_is_an_error_on_the_filter_not_a_500(client_as, world):
    response = client_as(Role.PLANNER).get(reverse("programmes:list"), {"status": "bogus"})
    assert response.status_code == 200
    assert "from the choices given" in Page(response).error_for("id_status")


def test_the_list_is_paginated_25_a_page_keeping_the_filters(client_as, world):
    add_programmes(world, 60, status="running", prefix="Running")
    client = client_as(Role.TRAINING_LEAD)

    first = client.get(reverse("programmes:list"), {"status": "running"})
    assert titles(first) == [f"Running {i:03d}" for i in range(25)]
    page = Page(first)
    assert page.has(**{"class": "nhsuk-pagination nhsuk-pagination--numbered"})
    assert "?status=running&page=2" in page.links()
    assert "?status=running&page=3" in page.links()

    third = client.get(reverse("programmes:list"), {"status": "running", "page": "3"})
    assert titles(third) == [f"Running {i:03d}" for i in range(50, 60)]
    # A page past the end, or not a number, shows the last or first page rather than failing.
    assert titles(
        client.get(reverse("programmes:list"), {"status": "running", "page": "99"})
    ) == titles(third)
    assert titles(
        client.get(reverse("programmes:list"), {"status": "running", "page": "x"})
    ) == titles(first)
    # Everything fits on one page: no pagination.
    assert not Page(client.get(reverse("programmes:list"), {"q": "Inpatient"})).has(
        role="navigation", aria_label="Pagination"
    )


@pytest.mark.parametrize("extra", [5, 50])
def test_the_list_costs_the_same_queries_with_5_or_50_programmes(
    client_as, world, django_assert_num_queries, extra
):
    add_programmes(world, extra)
    client = client_as(Role.TRAINING_LEAD)
    client.get(reverse("programmes:list"))  # warm caches (content types, templates)
    # 1 session, 2 user, 3 acting memberships, 4 count of matching programmes (paginator),
    # 5 the page of programmes with their organisation and cohort/trainee counts (the session
    # is not saved: its refresh is not due, core.sessions).
    with django_assert_num_queries(5):
        response = client.get(reverse("programmes:list"))
    assert len(titles(response)) == min(extra + 1, 25)
