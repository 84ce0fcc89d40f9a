"""Pages keep a constant number of queries as the data grows: measured at 5 and at 50 trainees,
each with study sessions (one lost), a review and a signature."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Membership, Role
from trainees import services
from trainees.due import due_for

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
# below count the page's own queries; the totals are checked equal at 5 and 50 as well.
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


def _at_5_and_50(world, client, url, rows) -> tuple[int, int]:
    """The page's own queries at 5 and at 50 trainees (the totals must match too)."""
    _grow(world, 5)
    client.get(url)  # warm the content-type cache
    total_5, at_5 = _count(client, url)
    assert rows(client.get(url)) == 5
    _grow(world, 50)
    total_50, at_50 = _count(client, url)
    assert rows(client.get(url)) == 50
    assert total_5 == total_50
    return at_5, at_50


def test_cohort_page_costs_the_same_at_5_and_50_trainees(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    at_5, at_50 = _at_5_and_50(world, client, url, lambda r: len(r.context["rows"]))
    # the cohort; every visible enrolment with its figures (for the below-plan list); the
    # filtered page's count and rows; the ward choices; the lecturers.
    assert at_5 == at_50 == 6


def test_cohort_page_for_a_manager_costs_the_same(world, client_as):
    client = client_as(Role.MANAGER)
    url = reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})
    at_5, at_50 = _at_5_and_50(world, client, url, lambda r: len(r.context["rows"]))
    assert at_5 == at_50 == 6


def test_trainee_list_costs_the_same(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:list")
    at_5, at_50 = _at_5_and_50(world, client, url, lambda r: len(r.context["page_obj"]))
    # the ward choices; the count and the page.
    assert at_5 == at_50 == 3


def test_my_trainees_costs_the_same(world, client_as):
    client = client_as(Role.MANAGER)
    url = reverse("trainees:my_trainees")
    at_5, at_50 = _at_5_and_50(world, client, url, lambda r: len(r.context["rows"]))
    # the open enrolments with their figures and signatures.
    assert at_5 == at_50 == 1


def test_my_mentees_costs_the_same(world, client_as):
    client = client_as(Role.MENTOR)
    url = reverse("trainees:my_mentees")
    at_5, at_50 = _at_5_and_50(world, client, url, lambda r: len(r.context["rows"]))
    assert at_5 == at_50 == 1


def test_ward_view_costs_the_same(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:study_time_by_ward")
    at_5, at_50 = _at_5_and_50(world, client, url, lambda r: sum(w["sessions"] for w in r.context["wards"]))
    # the hours lost by ward and reason.
    assert at_5 == at_50 == 1


def test_due_for_a_manager_costs_one_query(world, django_assert_num_queries):
    membership = Membership.objects.select_related("user").get(
        user=world.person(Role.MANAGER), organisation=world.organisation
    )
    _grow(world, 5)
    with django_assert_num_queries(1):
        assert len(due_for(membership)) >= 5
    _grow(world, 50)
    with django_assert_num_queries(1):
        assert len(due_for(membership)) >= 50
