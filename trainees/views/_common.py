"""Small helpers the trainee views share."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponseNotAllowed
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 50


def paginate(request: HttpRequest, items, per_page: int | None = None) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest page."""
    page = Paginator(items, per_page or PAGE_SIZE).get_page(request.GET.get("page"))
    page.elided_range = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


def post_only(request: HttpRequest) -> HttpResponseNotAllowed | None:
    """For actions posted from a page: checked after access, so a GET by someone who may not
    act is still 404/403, and a GET by someone who may is 405."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after an action posted from another page (e.g. "Your record"), if it is
    one of ours."""
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
