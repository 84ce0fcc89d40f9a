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


def _the_cohort_seen_and_loaded(world, role):
    """The role's membership, and world's cohort twice: as get_cohort_for gives it to that person
    (the selectors' compiled statements read it) and loaded plainly (the ORM's reads)."""
    from programmes.models import Cohort, Membership
    from programmes.selectors import get_cohort_for

    membership = Membership.objects.get(user=world.person(role), organisation=world.organisation)
    seen = get_cohort_for(membership=membership, pk=world.cohort.pk)
    return membership, seen, Cohort.objects.select_related("programme").get(pk=world.cohort.pk)


@pytest.mark.parametrize("role", [Role.TRAINING_LEAD, Role.MANAGER, Role.LECTURER])
def test_the_cohort_page_s_statement_compiled_once_gives_the_orm_s_rows(world, role):
    """selectors.cohort_page reads a cohort from get_cohort_for with one statement compiled
    once per set of filters (their values, the page's LIMIT and OFFSET bound); for any other
    cohort, or a name searched, the ORM builds it. Both give the same rows, pages and counts."""
    from django.http import QueryDict
    from django.utils import timezone

    from trainees import selectors, services
    from trainees.filters import CohortEnrolmentFilter

    oak = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    manager = world.person(Role.MANAGER)
    for n in range(5):
        _, enrolment = add_trainee(
            world, first_name=f"Pat{n}", last_name="Same" if n % 2 else f"Z{n}", employee_number=f"C{n}",
            clinical_area=oak if n % 2 else world.ward, line_manager=manager,
        )
        if n == 3:
            services.enrolment_transition(
                enrolment=enrolment, to_status="paused", actor=world.person(Role.TRAINING_LEAD), reason="Leave"
            )
    membership, seen, loaded = _the_cohort_seen_and_loaded(world, role)
    today = timezone.localdate()

    def page(cohort, query: str, number):
        filterset = CohortEnrolmentFilter(QueryDict(query) or None, wards=[world.ward, oak])
        got = selectors.cohort_page(membership=membership, cohort=cohort, filterset=filterset, number=number,
                                    per_page=2, today=today)
        rows = [(p.enrolment.pk, p.enrolment.trainee.full_name, p.study, p.review_due, p.signature_count,
                 p.enrolment.trainee.clinical_area) for p in got]
        return rows, got.number, got.paginator.count

    for query in ("", "status=active", f"ward={oak.pk}", "study=below", f"status=paused&ward={oak.pk}",
                  "q=pat", "ward=nonsense", "status=bogus"):
        counts = set()
        for number in (None, 1, 2, 3, 99):
            compiled, orm = page(seen, query, number), page(loaded, query, number)
            assert compiled == orm, (query, number)
            counts.add(compiled[2])
        assert len(counts) == 1
    assert page(seen, f"ward={oak.pk}", 1)[2] == 2  # Pat1 and Pat3, whoever looks
    assert page(seen, f"ward=0{oak.pk}", 1)[2] == 2  # read as a ModelChoiceField reads an id


@pytest.mark.parametrize("role", [Role.TRAINING_LEAD, Role.MANAGER, Role.LECTURER])
def test_the_cohort_overview_s_one_statement_gives_what_its_three_reads_give(world, role):
    """selectors.cohort_overview reads a cohort from get_cohort_for on PostgreSQL with one
    statement (below plan, wards and the unfiltered page from one read of the enrolments); for
    any other cohort (and on SQLite) it is below_plan_on_cohort, wards_on_cohort and
    cohort_page. Both give the same names below plan and their count, wards and pages."""
    from django.utils import timezone

    from trainees import selectors, services

    from .helpers import add_history

    oak = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    ash = programme_services.clinical_area_ensure(organisation=world.organisation, name="Ash & <Elm>")
    manager = world.person(Role.MANAGER)
    for n in range(7):
        # Two of the same name (their order is the enrolments'), one with no ward, some with
        # hours taken (not below plan), one paused (never below plan).
        _, enrolment = add_trainee(
            world, first_name="Pat" if n in (1, 5) else f"Pat{n}", last_name="Same" if n % 2 else f"Z{n}",
            employee_number=f"C{n}", clinical_area=(oak, ash, None)[n % 3], line_manager=manager,
        )
        if n in (1, 4):
            add_history(world, enrolment, sessions=3)
        if n == 3:
            services.enrolment_transition(
                enrolment=enrolment, to_status="paused", actor=world.person(Role.TRAINING_LEAD), reason="Leave"
            )
    membership, seen, loaded = _the_cohort_seen_and_loaded(world, role)
    today = timezone.localdate()

    def overview(cohort, first, number, per_page):
        got = selectors.cohort_overview(membership=membership, cohort=cohort, today=today, first=first,
                                        number=number, per_page=per_page)
        below = [(b.enrolment.pk, b.enrolment.trainee.full_name, b.enrolment.trainee.clinical_area, b.study)
                 for b in got.below_plan]
        wards = [(ward.pk, ward.name) for ward in got.wards]
        page = None
        if got.page is not None:
            page = ([(p.enrolment.pk, p.enrolment.trainee.full_name, p.study, p.review_due, p.signature_count,
                      p.enrolment.trainee.clinical_area) for p in got.page], got.page.number, got.page.paginator.count)
        return below, got.below_plan_count, wards, page

    seen_any = set()
    for first in (2, 20):
        for number, per_page in ((None, 3), (2, 3), (3, 3), (99, 3), ("x", 3), (None, None)):
            compiled = overview(seen, first, number, per_page)
            assert compiled == overview(loaded, first, number, per_page), (first, number, per_page)
            seen_any.add((bool(compiled[0]), bool(compiled[2]), compiled[3] is not None and bool(compiled[3][0])))
    assert (True, True, True) in seen_any  # each part had rows to compare
