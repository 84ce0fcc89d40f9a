"""Small helpers the trainee views share."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 50  # rows a page of the trainee lists (core.pagination.paginate)


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after an action posted from another page (e.g. "Your record"), if it is
    one of ours."""
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
