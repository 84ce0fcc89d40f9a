"""Small helpers shared by the programme views."""

from __future__ import annotations

from django.core.paginator import Page
from django.http import HttpRequest

PAGE_SIZE = 25


def page_links(request: HttpRequest, page: Page, *, around: int = 2) -> dict | None:
    """The NHS.UK numbered pagination for a page: previous/next links and the page numbers
    near the current one, with the first and last always shown and gaps marked. Other query
    parameters (filters, search) are kept. None when everything fits on one page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}"

    wanted = {1, paginator.num_pages}
    wanted.update(
        range(max(1, page.number - around), min(paginator.num_pages, page.number + around) + 1)
    )
    items, last = [], 0
    for number in sorted(wanted):
        if number - last > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": url(number), "current": number == page.number})
        last = number
    return {
        "items": items,
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }
