"""core.pagination_html: templates/includes/pagination.html's markup written in Python, the
same characters for every page of short and long lists, whatever the query string holds."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.pagination import page_of
from core.pagination_html import pagination_html


@pytest.mark.parametrize("count", [0, 1, 25, 26, 192, 500, 5000])
@pytest.mark.parametrize("number", ["1", "2", "4", "8", "20", "199", "abc"])
@pytest.mark.parametrize("query", [
    "", "page=3", "kind=core", "kind=core&page=2", "page=2&kind=core&ward=9", "ward=9&page=1&page=2",
    "q=Sam+O%27Neil&page=4&b=%3Cx%3E%26y", "n=%C3%A9t%C3%A9&n=2&page=", "page",
])
def test_the_same_markup_as_the_template(count, number, query):
    request = RequestFactory().get(f"/list/?{query}")
    page = page_of(list(range(count)), 25, number)
    expected = render_to_string("includes/pagination.html", {"page_obj": page}, request)
    assert pagination_html(page, request.GET) == expected


def test_a_single_page_draws_no_navigation():
    page = page_of([1, 2], 25, 1)
    assert "<nav" not in pagination_html(page, RequestFactory().get("/").GET)
