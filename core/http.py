"""HTTP helpers every app's views share."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseNotAllowed


def post_only(request: HttpRequest) -> HttpResponseNotAllowed | None:
    """For actions posted from a page: checked after access, so a GET by someone who may not
    act is still 404/403, and a GET by someone who may is 405."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None
