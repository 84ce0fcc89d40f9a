"""templates/includes/pagination.html written in Python, character for character (issue 15).

The template costs a page of a few hundred rows 0.3 ms: a {% querystring %} for each of up to
ten links (each copying the request's QueryDict) and the template engine's loop around them.
Here the query string is encoded once around its page number, as QueryDict.urlencode encodes
it (each value in its key's place, ``page`` where it was or last), and the markup is the
template's, its blank lines and indents included; tests/core/test_pagination_html.py holds
the two to each other. A page whose paginator has a single page draws nothing but the
template's newlines, as the include does."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from django.core.paginator import Page
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

_PREVIOUS = (
    '\n  <a href="{}" class="nhsuk-pagination__previous" rel="prev">\n'
    '    <svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"'
    ' width="16" height="16" focusable="false" aria-hidden="true"><path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1'
    " 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1"
    ' 1.4 0Z"/></svg>\n'
    '    <span class="nhsuk-pagination__title">Previous<span class="nhsuk-u-visually-hidden"> page</span></span>\n'
    "  </a>\n  "
)
_NEXT = (
    '\n  <a href="{}" class="nhsuk-pagination__next" rel="next">\n'
    '    <span class="nhsuk-pagination__title">Next<span class="nhsuk-u-visually-hidden"> page</span></span>\n'
    '    <svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"'
    ' width="16" height="16" focusable="false" aria-hidden="true"><path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0'
    " .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z\"/></svg>\n"
    "  </a>\n  "
)
_ELLIPSIS = '\n    <li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">&ctdot;</li>\n    '
_ITEM = (
    '\n    <li class="nhsuk-pagination__item">\n'
    '      <a class="nhsuk-pagination__link" href="{}" aria-label="Page {}">{}</a>\n    </li>\n    '
)
_CURRENT = (
    '\n    <li class="nhsuk-pagination__item nhsuk-pagination__item--current">\n'
    '      <a class="nhsuk-pagination__link" href="{}" aria-label="Page {}" aria-current="page">{}</a>\n'
    "    </li>\n    "
)
_NAV = '\n<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Pagination">\n  '


def pagination_html(page: Page, query: QueryDict) -> SafeString:
    """What {% include "includes/pagination.html" %} draws for ``page`` (from core.pagination,
    with its elided_range) on a request whose GET is ``query``."""
    if page.paginator.num_pages <= 1:
        return mark_safe("\n\n")  # noqa: S308 # nosec B308 (the template's newlines)
    before, after = _around_page(query)

    def href(number) -> str:
        # {% querystring page=number %}: escaped as the template escapes a tag's string.
        return escape(f"?{before}page={number}{after}")

    parts = ["\n", _NAV]
    if page.has_previous():
        parts.append(_PREVIOUS.format(href(page.previous_page_number())))
    parts.append('\n  <ul class="nhsuk-pagination__list">\n    ')
    ellipsis, current = page.paginator.ELLIPSIS, page.number
    for number in page.elided_range:
        if number == ellipsis:
            parts.append("\n    " + _ELLIPSIS + "\n    ")
        else:
            text = str(number)  # a whole number as the template writes it (no grouping is set)
            item = _CURRENT if number == current else _ITEM
            parts.append("\n    " + item.format(href(number), text, text) + "\n    ")
    parts.append("\n  </ul>\n  ")
    if page.has_next():
        parts.append(_NEXT.format(href(page.next_page_number())))
    parts.append("\n</nav>\n\n")
    return mark_safe("".join(parts))  # noqa: S308 # nosec B308 (fixed markup; the links escaped, the numbers whole)


def _around_page(query: QueryDict) -> tuple[str, str]:
    """The query string's encoded parts before and after ``page=<number>`` (each ending or
    starting with "&" as needed): QueryDict.urlencode's, with page set as QueryDict.copy()
    and ``params["page"] = number`` set it (in its place, a single value, else last)."""
    encoding = query.encoding
    before, after, seen = [], [], False
    for key, values in query.lists():
        if key == "page":
            seen = True
            continue
        encoded = [urlencode({key.encode(encoding): str(value).encode(encoding)}) for value in values]
        (after if seen else before).extend(encoded)
    return "".join(f"{part}&" for part in before), "".join(f"&{part}" for part in after)
