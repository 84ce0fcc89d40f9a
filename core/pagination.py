"""One way to paginate a list page, used by every app (templates/includes/pagination.html)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, per_page: int) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest page.
    ``elided_range`` lists the page numbers to link, with the paginator's ELLIPSIS for gaps."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page.elided_range = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page
