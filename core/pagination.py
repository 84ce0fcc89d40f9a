"""One way to paginate a list page, used by every app (templates/includes/pagination.html) and
by the API (api/pagination.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from django.http import HttpRequest


class CountedPaginator(Paginator):
    """A Paginator whose page brings the list's count with its rows: one statement, each row
    carrying ``COUNT(*) OVER ()``, rather than Django's count and then the rows. The count
    query of a list is as dear to plan as the rows' (the same joins and filters) and costs a
    round trip more; PostgreSQL counts the window over the rows it sorts anyway, and still
    works out the page's annotated figures for its rows alone.

    When the page asked for has no rows (past the end, or the list is empty) the count is
    asked for as Django does, so the same pages and errors result; so too for lists this
    cannot count so (not a list of model rows, DISTINCT, grouped, combined, sliced) and with
    orphans, whose last page depends on the count before its rows can be read.

    The list may also be PagedRows, read a page at a time (as DRF's pagination drives a
    Paginator; page_fetched reads a page of them for a page of Ladder's own)."""

    def page(self, number) -> Page:
        page = self._counted_page(number)
        return page if page is not None else super().page(number)

    def _counted_page(self, number) -> Page | None:
        if "count" not in self.__dict__ and not self.orphans and _countable(self.object_list):
            rows = self._rows_with_count(number)
            if rows:
                self.__dict__["count"] = _total_of(rows[0])  # Paginator.count's cache
                # Django's checks and arithmetic (Paginator.page), on the rows already read.
                return self._get_page(rows, self.validate_number(number), self)
        return None

    def _rows_with_count(self, number) -> list:
        if isinstance(number, float) and not number.is_integer():
            return []  # Django says why
        try:
            number = int(number)
        except (TypeError, ValueError):
            return []  # Django says why
        if number < 1:
            return []
        bottom = (number - 1) * self.per_page
        if isinstance(self.object_list, PagedRows):
            return self.object_list.read(bottom, self.per_page)
        return list(with_total(self.object_list)[bottom:bottom + self.per_page])


class PagedRows:
    """A list read a page at a time: ``read(offset, limit)`` returns that many of its rows
    (dicts) from ``offset``, each carrying the count of the whole list under TOTAL
    (with_total), as a statement compiled once reads a page (core.prepared.paged: LIMIT and
    OFFSET bound). page_fetched reads a page of it in one statement; CountedPaginator pages it
    as Django's Paginator would (for DRF's pagination)."""

    def __init__(self, read: Callable[[int, int], list[dict]]):
        self.read = read

    def count(self) -> int:
        """Asked for only when the page asked for has no rows (past the end, or an empty
        list), as Django asks a QuerySet: the count its first row carries."""
        first = self.read(0, 1)
        return first[0][TOTAL] if first else 0

    def __getitem__(self, rows: slice) -> list[dict]:
        # Paginator.page's object_list[bottom:top], for a page without rows; none asked for
        # (the empty first page of an empty list): none read, as a queryset's empty slice.
        return self.read(rows.start, rows.stop - rows.start) if rows.stop > rows.start else []


NO_ROWS = PagedRows(lambda offset, limit: [])  # a list known to be empty: read without a query


def with_total(items: QuerySet) -> QuerySet:
    """``items`` with the count of them all on each row (under TOTAL), counted by the database
    over the rows it sorts anyway: ``COUNT(*) OVER ()``."""
    return items.annotate(**{TOTAL: Window(Count("*"))})


TOTAL = "paginator_total"


def _total_of(row) -> int:
    return row[TOTAL] if isinstance(row, dict) else getattr(row, TOTAL)


def _countable(items) -> bool:
    """A queryset of model rows, the count of whose rows is the count of the list; or
    PagedRows."""
    if isinstance(items, PagedRows):
        return True
    if isinstance(items, PagedRows):
        return True
    if not isinstance(items, QuerySet) or items._iterable_class is not ModelIterable:
        return False
    query = items.query
    grouped = query.group_by is not None or any(
        getattr(annotation, "contains_aggregate", False) for annotation in query.annotations.values()
    )
    return not (grouped or query.distinct or query.combinator or query.is_sliced)


def paginate(request: HttpRequest, items, per_page: int, *, count_with_rows: bool = False) -> Page:
    """The page the request asks for (``?page=``): see page_of."""
    return page_of(items, per_page, request.GET.get("page"), count_with_rows=count_with_rows)


def page_of(items, per_page: int, number: int | str | None, *, count_with_rows: bool = False) -> Page:
    """Page ``number`` of ``items``, for a selector given the number rather than the request;
    a number out of range or not a number gives the nearest page. ``elided_range`` lists the
    page numbers to link, with the paginator's ELLIPSIS for gaps. ``count_with_rows``: the
    count comes with the page's rows (CountedPaginator), one statement fewer."""
    return _with_elided_range((CountedPaginator if count_with_rows else Paginator)(items, per_page).get_page(number))


def page_fetched(items: PagedRows, per_page: int, number: int | str | None) -> Page:
    """Page ``number`` of ``items`` as page_of gives it (the same number for the same request,
    the same paginator's figures), its rows and count in one read for a page with rows, or
    page 1, whatever its number (Django's paginator counts before it reads a numbered page);
    for a number past the end (or below 1) one more for the count, and one for the last
    page."""

    def read(offset: int) -> list[dict]:
        return items.read(offset, per_page)

    wanted = _page_number(number)
    rows = read((wanted - 1) * per_page) if wanted >= 1 else []
    if not rows and wanted != 1:  # out of range: Django's paginator settles on the last page
        rows, wanted = read(0), 1
    paginator = Paginator((), per_page)
    paginator.__dict__["count"] = rows[0][TOTAL] if rows else 0  # Paginator.count's cache
    page = paginator.get_page(number)  # Django's checks and arithmetic; its rows not read
    if page.number != wanted:
        rows = read((page.number - 1) * per_page)
    page.object_list = rows
    return _with_elided_range(page)


def _page_number(number) -> int:
    """The page number Django's paginator reads ``number`` as (1 for what is not a number)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        return 1


def _with_elided_range(page: Page) -> Page:
    page.elided_range = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page
