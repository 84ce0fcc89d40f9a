"""CountedPaginator (the cohort page, the matrix, the API's enrolment list): the same pages, in
the same order, as Django's Paginator, reading each page's rows with the list's count."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from core.pagination import NO_ROWS, TOTAL, CountedPaginator, PagedRows, _page_number, page_fetched, page_of, with_total
from core.prepared import Param, compiled_once, paged
from tests.trainees.helpers import add_trainee
from trainees.models import Enrolment, Trainee

pytestmark = pytest.mark.django_db


def _grow(world, to: int) -> None:
    for n in range(world.cohort.enrolments.count(), to):
        # Some names the same, so the pk decides between them as it does in the list's order.
        add_trainee(world, first_name=f"Pat{n % 3}", last_name=("Same" if n % 2 else f"Z{n:02d}"),
                    employee_number=f"P{n:03d}")


@pytest.mark.parametrize("asked, given", [(2, 2), ("2", 2), (99, 4), ("next", 1), (None, 1)])
def test_a_page_number_out_of_range_or_not_a_number_gives_the_nearest_page(asked, given):
    from core.pagination import page_of

    page = page_of(list(range(10)), 3, asked)
    assert page.number == given
    assert page.elided_range == [1, 2, 3, 4]


def test_a_counted_page_is_django_s_page_read_with_its_count_in_one_query(world):
    _grow(world, 12)
    enrolments = Enrolment.objects.select_related("trainee").order_by("trainee__last_name", "trainee__first_name", "pk")
    django = Paginator(enrolments, 5)
    for number in django.page_range:
        with CaptureQueriesContext(connection) as queries:
            page = CountedPaginator(enrolments, 5).page(number)
            pks = [e.pk for e in page]
        assert len(queries) == 1
        assert pks == [e.pk for e in django.page(number)]
        assert (page.paginator.count, page.paginator.num_pages) == (django.count, django.num_pages)
        assert (page.start_index(), page.end_index(), page.has_next()) == (
            django.page(number).start_index(), django.page(number).end_index(), django.page(number).has_next()
        )


@pytest.mark.parametrize("asked, error", [(99, EmptyPage), (0, EmptyPage), ("x", PageNotAnInteger)])
def test_a_counted_page_out_of_range_fails_as_django_s(world, asked, error):
    _grow(world, 6)
    with pytest.raises(error):
        CountedPaginator(Enrolment.objects.order_by("pk"), 5).page(asked)


def test_an_empty_list_counts_as_django_s(world):
    page = CountedPaginator(Enrolment.objects.none(), 5).get_page(None)
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


def test_lists_it_cannot_count_with_their_rows_are_counted_first(world):
    _grow(world, 6)
    grouped = Trainee.objects.annotate(n=Count("enrolments")).order_by("last_name", "pk")
    names = Trainee.objects.order_by("last_name", "pk").values_list("last_name", flat=True)
    for items in (grouped, names):
        with CaptureQueriesContext(connection) as queries:
            rows = list(CountedPaginator(items, 4).page(1))
        assert len(queries) == 2
        assert rows == list(Paginator(items, 4).page(1))


@pytest.mark.parametrize("asked", [None, "1", "2", "3", "4", "99", "0", "-1", "x", "2.0", 2.0, 2])
@pytest.mark.parametrize("size", [0, 1, 10, 11])
def test_a_fetched_page_is_the_page_django_gives_with_its_rows(asked, size):
    """page_fetched, for a list read a page at a time, each row with the count (core.prepared's
    LIMIT and OFFSET): the page number, rows and figures page_of gives for the same list; one fetch for a
    page with rows, at most three for one past the end."""
    items = list(range(size))
    offsets = []

    def read(offset, limit):
        offsets.append(offset)
        return [{"n": n, TOTAL: len(items)} for n in items[offset:offset + limit]]

    django = page_of(items, 5, asked)
    page = page_fetched(PagedRows(read), 5, asked)
    assert [row["n"] for row in page.object_list] == list(django.object_list)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        django.number, django.paginator.count, django.paginator.num_pages)
    assert (page.start_index(), page.end_index(), page.elided_range) == (
        django.start_index(), django.end_index(), django.elided_range)
    in_range = django.object_list and _page_number(asked) == django.number
    assert len(offsets) == 1 if in_range else len(offsets) <= 3


@compiled_once
def _enrolment_pages():
    return paged(with_total(
        Enrolment.objects.order_by("trainee__last_name", "trainee__first_name", "pk").values("pk")
    ))


def _reading(reads: list) -> PagedRows:
    def read(offset, limit):
        reads.append(offset)
        return _enrolment_pages().rows(offset=offset, limit=limit)
    return PagedRows(read)


@pytest.mark.parametrize("asked", [1, 2, 3, "3", 99, "x", None, 0, -1])
def test_a_statement_compiled_once_pages_as_django_pages_the_queryset(world, asked):
    _grow(world, 12)
    enrolments = Enrolment.objects.order_by("trainee__last_name", "trainee__first_name", "pk")
    django = Paginator(enrolments, 5).get_page(asked)
    reads = []
    with CaptureQueriesContext(connection) as queries:
        page = page_fetched(_reading(reads), 5, asked)
    assert [row["pk"] for row in page] == [e.pk for e in django]
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        django.number, django.paginator.count, django.paginator.num_pages
    )
    # A page with rows and the count in one statement (LIMIT and OFFSET bound); past the end
    # (or below 1), the first page's for the count, then the last page's.
    assert len(queries) == len(reads) == (1 if asked in (1, 2, 3, "3", None, "x") else 3 if asked == 99 else 2)
    assert _enrolment_pages().sql.endswith(" LIMIT %s OFFSET %s")  # one statement for every page


def test_an_empty_list_read_a_page_at_a_time_is_read_once(world):
    Enrolment.objects.all().delete()
    reads = []
    page = page_fetched(_reading(reads), 5, None)
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])
    assert reads == [0]  # the first page's read found nothing: nothing to count, no page to settle on


def test_only_an_ordered_list_is_read_a_page_at_a_time():
    for unpaged in (Enrolment.objects.order_by().values("pk"), Enrolment.objects.order_by("pk").values("pk")[:5]):
        with pytest.raises(TypeError):
            paged(unpaged)


@compiled_once
def _enrolments_paged():
    on_cohort = Enrolment.objects.filter(cohort_id=Param("cohort_id"))
    return paged(with_total(on_cohort.order_by("trainee__last_name", "trainee__first_name", "pk")).values("pk", TOTAL))


def _on_cohort(cohort_id: int) -> PagedRows:
    return PagedRows(lambda offset, limit: _enrolments_paged().rows(cohort_id=cohort_id, offset=offset, limit=limit))


def test_rows_of_a_paged_statement_are_paged_as_the_queryset_is(world):
    _grow(world, 12)
    enrolments = Enrolment.objects.filter(cohort=world.cohort).order_by(
        "trainee__last_name", "trainee__first_name", "pk")
    django = Paginator(enrolments, 5)
    rows = _on_cohort(world.cohort.pk)
    for number in [*django.page_range, "last"]:
        with CaptureQueriesContext(connection) as queries:
            page = CountedPaginator(rows, 5).page(django.num_pages if number == "last" else number)
            pks = [row["pk"] for row in page]
        assert len(queries) == 1
        expected = django.page(django.num_pages if number == "last" else number)
        assert pks == [e.pk for e in expected]
        assert (page.paginator.count, page.paginator.num_pages, page.has_next()) == (
            django.count, django.num_pages, expected.has_next())
    for asked, error in ((99, EmptyPage), (0, EmptyPage), ("x", PageNotAnInteger)):
        with pytest.raises(error):
            CountedPaginator(rows, 5).page(asked)


def test_an_empty_paged_list_counts_as_django_s(world):
    with CaptureQueriesContext(connection) as queries:
        none = CountedPaginator(NO_ROWS, 5).get_page(None)
    assert (none.number, none.paginator.count, list(none), len(queries)) == (1, 0, [], 0)
    # A statement that finds nothing: its page, then its count (as Django counts a QuerySet).
    with CaptureQueriesContext(connection) as queries:
        page = CountedPaginator(_on_cohort(0), 5).get_page(None)
    assert (page.number, page.paginator.count, list(page), len(queries)) == (1, 0, [], 2)
