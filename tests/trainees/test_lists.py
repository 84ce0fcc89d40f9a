"""The cohort page and the trainee list: filters, search and pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes import services as programme_services
from programmes.models import Role

from .helpers import add_trainee

pytestmark = pytest.mark.django_db


def _names(response):
    return [p.enrolment.trainee.full_name for p in response.context["rows"]]


def test_cohort_page_filters_by_status_ward_and_name(world, client_as):
    oak = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    add_trainee(world, first_name="Priya", last_name="Shah", employee_number="E5", clinical_area=oak)
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    assert _names(client.get(url)) == ["Priya Shah", "Sam Trainee"]
    assert _names(client.get(url, {"ward": oak.pk})) == ["Priya Shah"]
    assert _names(client.get(url, {"q": "sam"})) == ["Sam Trainee"]
    assert _names(client.get(url, {"status": "paused"})) == []
    # The ward choices are the wards of the trainees on the cohort.
    page = client.get(url)
    assert list(page.context["filter"].form.fields["ward"].choices) == [
        ("", "Any ward"), (world.ward.pk, world.ward.name), (oak.pk, oak.name),
    ]


def test_nonsense_in_the_filters_is_ignored_with_a_message(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    response = client.get(url, {"status": "bogus", "ward": "999999", "page": "x"})
    assert response.status_code == 200
    assert _names(response) == ["Sam Trainee"]
    assert "status" in response.context["filter"].form.errors
    listing = client.get(reverse("trainees:list"), {"band": "99", "ward": "abc", "page": "-1"})
    assert listing.status_code == 200


def test_pages_keep_the_filters(world, client_as, monkeypatch):
    monkeypatch.setattr("trainees.views.cohorts.COHORT_PAGE_SIZE", 2)
    for n in range(3):
        add_trainee(world, first_name=f"Extra{n}", last_name="Person", employee_number=f"X{n}")
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    first = client.get(url, {"q": "person"})
    assert _names(first) == ["Extra0 Person", "Extra1 Person"]
    html = first.content.decode()
    assert 'href="?q=person&amp;page=2"' in html
    assert _names(client.get(url, {"q": "person", "page": 2})) == ["Extra2 Person"]
    # ... and the below-plan list still counts the whole cohort, not just the page.
    assert len(first.context["below_plan"]) == first.context["below_plan_count"] == 4
