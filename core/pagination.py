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
    orphans, whose last page depends on the count before its rows can be read. (A list read a
    page at a time by a statement compiled once is page_fetched's.)"""

    def page(self, number) -> Page:
        page = self._counted_page(number)
        return page if page is not None else super().page(number)

    def _counted_page(self, number) -> Page | None:
        if "count" not in self.__dict__ and not self.orphans and _countable(self.object_list):
            rows = self._rows_with_count(number)
            if rows:
                self.__dict__["count"] = getattr(rows[0], TOTAL)  # Paginator.count's cache
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
        return list(with_total(self.object_list)[bottom:bottom + self.per_page])


def with_total(items: QuerySet) -> QuerySet:
    """``items`` with the count of them all on each row (under TOTAL), counted by the database
    over the rows it sorts anyway: ``COUNT(*) OVER ()``."""
    return items.annotate(**{TOTAL: Window(Count("*"))})


TOTAL = "paginator_total"


def _countable(items) -> bool:
    """A queryset of model rows, the count of whose rows is the count of the list."""
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


def page_fetched(read: Callable[[int], list[dict]], per_page: int, number: int | str | None) -> Page:
    """Page ``number`` as page_of gives it (the same number for the same request, the same
    paginator's figures) of a list read a page at a time, as a statement compiled once reads
    it (core.prepared.paged: LIMIT and OFFSET bound): ``read(offset)`` returns up to
    ``per_page`` rows (dicts) from ``offset``, each carrying the count of the whole list under
    TOTAL (with_total: COUNT(*) OVER ()). One read for a page with rows, or page 1, whatever
    its number (Django's paginator counts before it reads a numbered page); for a number past
    the end (or below 1) one more for the count, and one for the last page."""
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
