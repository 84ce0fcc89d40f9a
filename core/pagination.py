"""One way to paginate a list page, used by every app (templates/includes/pagination.html) and
by the API (api/pagination.py)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from django.http import HttpRequest

from core.prepared import Compiled


class CountedPaginator(Paginator):
    """A Paginator whose page brings the list's count with its rows: one statement, each row
    carrying ``COUNT(*) OVER ()``, rather than Django's count and then the rows. The count
    query of a list is as dear to plan as the rows' (the same joins and filters) and costs a
    round trip more; PostgreSQL counts the window over the rows it sorts anyway, and still
    works out the page's annotated figures for its rows alone.

    When the page asked for has no rows (past the end, or the list is empty) the count is
    asked for as Django does, so the same pages and errors result; so too for lists this
    cannot count so (not a list of model rows, DISTINCT, grouped, combined, sliced) and with
    orphans, whose last page depends on the count before its rows can be read."""

    def page(self, number) -> Page:
        if "count" not in self.__dict__ and not self.orphans and _countable(self.object_list):
            rows = self._rows_with_count(number)
            if rows:
                first = rows[0]
                # Paginator.count's cache
                self.__dict__["count"] = first[PAGE_TOTAL] if isinstance(first, dict) else getattr(first, PAGE_TOTAL)
                return self._get_page(rows, self.validate_number(number), self)  # as Paginator.page
        return super().page(number)

    def _rows_with_count(self, number) -> list:
        try:
            number = int(number)
        except (TypeError, ValueError):
            return []  # Django says why
        if number < 1:
            return []
        bottom = (number - 1) * self.per_page
        if isinstance(self.object_list, PagedRows):
            return self.object_list.rows(bottom, self.per_page)
        counted = self.object_list.annotate(**{PAGE_TOTAL: Window(Count("*"))})
        return list(counted[bottom:bottom + self.per_page])


# The column of each row that carries the list's count.
PAGE_TOTAL = "paginator_total"


class PagedRows:
    """A list read a page at a time by a statement compiled once (a core.prepared.Paged one:
    Params "limit" and "offset"), each row a dict carrying the list's count in its PAGE_TOTAL
    column: CountedPaginator pages it as it pages a QuerySet, and the rows are the page's
    object_list. ``statement`` None: a list known to be empty, read without a query."""

    def __init__(self, statement: Compiled | None, **values):
        self.statement, self.values = statement, values

    def rows(self, offset: int, limit: int) -> list[dict]:
        if self.statement is None or limit <= 0:
            return []
        return self.statement.rows(**self.values, offset=offset, limit=limit)

    def count(self) -> int:
        """Asked for only when the page asked for has no rows (past the end, or an empty
        list), as Django asks a QuerySet: the count its first row carries."""
        first = self.rows(0, 1)
        return first[0][PAGE_TOTAL] if first else 0

    def __getitem__(self, window: slice) -> list[dict]:
        """Paginator.page's ``object_list[bottom:top]``: only for a page without rows."""
        return self.rows(window.start, window.stop - window.start)


def _countable(items) -> bool:
    """A queryset of model rows, the count of whose rows is the count of the list."""
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
    page = (CountedPaginator if count_with_rows else Paginator)(items, per_page).get_page(number)
    page.elided_range = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page
