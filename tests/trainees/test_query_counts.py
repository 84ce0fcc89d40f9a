"""Pages keep a constant number of queries as the data grows: measured at 5 and at 15 trainees
(three times as many, the same count), each with study sessions (one lost), a review and a
signature."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.models import Membership, Role
from trainees import selectors, services
from trainees.due import due_for
from trainees.models import Enrolment, StudySession

from .helpers import add_history, add_trainee

pytestmark = pytest.mark.django_db


def _grow(world, to: int) -> None:
    """Sam plus (to - 1) more trainees on the cohort, managed and mentored by the world's
    manager and mentor, each with history and the manager's signature."""
    have = world.cohort.enrolments.count()
    manager = world.person(Role.MANAGER)
    for n in range(have, to):
        _, enrolment = add_trainee(
            world, first_name=f"Trainee{n:02d}", last_name="Grown", employee_number=f"G{n:03d}",
            line_manager=manager, mentor=world.person(Role.MENTOR),
        )
        add_history(world, enrolment)
        services.contract_sign(contract=enrolment.contract, party="manager", user=manager,
                               allowed_parties={"manager"})
    if have == 1:
        add_history(world, world.enrolment)


# Every signed-in request also reads the session, the user and their memberships (and may
# save the session): those belong to the middleware, not to the page, so the pinned numbers
# below count the page's own queries; the totals are checked equal at 5 and 15 as well.
REQUEST_OVERHEAD = (
    '"django_session"', "SAVEPOINT", 'FROM "programmes_membership"',
    'FROM "auth_user" WHERE "auth_user"."id" =',
)


def _count(client, url) -> tuple[int, int]:
    """(all queries, the page's own queries) of one GET."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    own = [sql for sql in sqls if not any(marker in sql for marker in REQUEST_OVERHEAD)]
    return len(sqls), len(own)


def _at_5_and_15(world, client, url, rows) -> tuple[int, int]:
    """The page's own queries at 5 and at 15 trainees (the totals must match too)."""
    _grow(world, 5)
    client.get(url)  # warm the content-type cache
    total_5, at_5 = _count(client, url)
    assert rows(client.get(url)) == 5
    _grow(world, 15)
    total_15, at_15 = _count(client, url)
    assert rows(client.get(url)) == 15
    assert total_5 == total_15
    return at_5, at_15


def test_cohort_page_costs_the_same_at_5_and_15_trainees(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    at_5, at_15 = _at_5_and_15(world, client, url, lambda r: r.context["total"])
    # the cohort; the first names below plan with how many are, the ward choices, and the
    # page's rows with their count (every trainee's, with no filter), in one statement
    # (selectors.cohort_overview); the lecturers.
    assert at_5 == at_15 == 3


def test_cohort_page_with_a_filter_costs_the_same(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk}) + "?status=active"
    at_5, at_15 = _at_5_and_15(world, client, url, lambda r: r.context["total"])
    # the cohort; the overview without rows; the filtered page with its count; every
    # trainee's count (the filter narrows); the lecturers.
    assert at_5 == at_15 == 5


def test_cohort_page_for_a_manager_costs_the_same(world, client_as):
    client = client_as(Role.MANAGER)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    at_5, at_15 = _at_5_and_15(world, client, url, lambda r: r.context["total"])
    assert at_5 == at_15 == 3


def test_trainee_list_costs_the_same(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:list")
    at_5, at_15 = _at_5_and_15(world, client, url, lambda r: len(r.context["page_obj"]))
    # the ward choices; the count and the page.
    assert at_5 == at_15 == 3


def test_my_trainees_costs_the_same(world, client_as):
    client = client_as(Role.MANAGER)
    url = reverse("trainees:my_trainees")
    at_5, at_15 = _at_5_and_15(world, client, url, lambda r: len(r.context["rows"]))
    # the visible cohort ids; the open enrolments with their figures and signatures.
    assert at_5 == at_15 == 2


def test_my_mentees_costs_the_same(world, client_as):
    client = client_as(Role.MENTOR)
    url = reverse("trainees:my_mentees")
    at_5, at_15 = _at_5_and_15(world, client, url, lambda r: len(r.context["rows"]))
    assert at_5 == at_15 == 2


def test_ward_view_costs_the_same(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:study_time_by_ward")
    at_5, at_15 = _at_5_and_15(world, client, url, lambda r: sum(w["sessions"] for w in r.context["wards"]))
    # the visible cohort ids; the hours lost by ward and reason.
    assert at_5 == at_15 == 2


def test_due_for_a_manager_costs_two_queries(world, django_assert_num_queries):
    membership = Membership.objects.select_related("user").get(
        user=world.person(Role.MANAGER), organisation=world.organisation
    )
    _grow(world, 5)
    with django_assert_num_queries(2):  # the visible cohort ids, the open enrolments
        assert len(due_for(membership)) >= 5
    _grow(world, 15)
    with django_assert_num_queries(2):
        assert len(due_for(membership)) >= 15



def test_cohort_page_shows_25_a_page_and_counts_below_plan_in_sql(world, client_as):
    """The below-plan figures come from the database; they agree with Progress.below_plan
    worked out in Python for every enrolment, and the study filter lists them all."""
    _grow(world, 30)
    # Ten trainees with a light plan (their own, not the cohort's) and plenty of hours taken:
    # not below plan. The other twenty took 3.5 hours of a cohort plan since January: below.
    light = Enrolment.objects.filter(cohort=world.cohort).order_by("pk")[:10]
    Enrolment.objects.filter(pk__in=[e.pk for e in light]).update(study_hours_per_week=Decimal("0.1"))
    StudySession.objects.filter(enrolment__in=light, outcome="taken").update(hours=Decimal("12.0"))
    lead = Membership.objects.get(user=world.person(Role.TRAINING_LEAD), organisation=world.organisation)
    today = timezone.localdate()
    by_python = sorted(
        e.pk for e in selectors.cohort_enrolments(membership=lead, cohort=world.cohort)
        if selectors.progress_of(e, today).below_plan
    )
    assert len(by_python) == 20

    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    response = client.get(url)
    assert (response.context["total"], len(response.context["rows"])) == (30, 25)
    assert response.context["below_plan_count"] == 20
    assert all(p.below_plan for p in response.context["below_plan"])
    assert len(response.context["below_plan"]) == 20
    assert len(client.get(url, {"page": 2}).context["rows"]) == 5
    below = client.get(url, {"study": "below"})
    assert sorted(p.enrolment.pk for p in below.context["rows"]) == by_python
    assert "20 of 30 trainees match" in below.content.decode()
