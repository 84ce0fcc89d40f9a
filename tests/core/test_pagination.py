"""RowsLastPaginator (the API's enrolment list): the same pages, in the same order, as Django's
Paginator, reading the page's keys first and then only the page's rows."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from core.pagination import RowsLastPaginator
from tests.trainees.helpers import add_trainee
from trainees.models import Enrolment, Trainee

pytestmark = pytest.mark.django_db


def _grow(world, to: int) -> None:
    for n in range(world.cohort.enrolments.count(), to):
        # Some names the same, so the pk decides between them as it does in the list's order.
        add_trainee(world, first_name=f"Pat{n % 3}", last_name=("Same" if n % 2 else f"Z{n:02d}"),
                    employee_number=f"P{n:03d}")


def test_every_page_holds_what_django_s_paginator_gives_in_the_same_order(world):
    _grow(world, 12)
    enrolments = (Enrolment.objects.select_related("trainee__clinical_area", "cohort")
                  .order_by("trainee__last_name", "trainee__first_name", "pk"))
    ours, django = RowsLastPaginator(enrolments, 5, orphans=1), Paginator(enrolments, 5, orphans=1)
    assert ours.num_pages == django.num_pages
    for number in ours.page_range:
        assert [e.pk for e in ours.page(number)] == [e.pk for e in django.page(number)]
    with CaptureQueriesContext(connection) as queries:
        page = ours.page(2)
        names = [e.trainee.clinical_area for e in page]  # joined: no query per row
    assert len(queries) == 2 and len(names) == 5


def test_a_grouped_list_is_paginated_as_django_does(world):
    _grow(world, 6)
    grouped = Trainee.objects.annotate(n=Count("enrolments")).order_by("last_name", "pk")
    with CaptureQueriesContext(connection) as queries:
        page = RowsLastPaginator(grouped, 4).page(1)
        counts = [t.n for t in page]
    assert len(queries) == 2  # the count and the page, as Paginator: no keys-first query
    assert counts == [t.n for t in Paginator(grouped, 4).page(1)]


@pytest.mark.parametrize("asked, given", [(2, 2), ("2", 2), (99, 4), ("next", 1), (None, 1)])
def test_a_page_number_out_of_range_or_not_a_number_gives_the_nearest_page(asked, given):
    from core.pagination import page_of

    page = page_of(list(range(10)), 3, asked)
    assert page.number == given
    assert page.elided_range == [1, 2, 3, 4]
