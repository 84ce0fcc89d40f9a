"""The benchmark's URLconf: Ladder's own URLs plus two baseline views every page's time is
divided by. It lives here, not in config/urls.py, so the app never serves them.

- the bare view: through the same middleware as every page, no queries or template of its own;
- the base view: the same, rendering the base template (header, navigation, footer, the
  context processors): the least any page of Ladder can cost, so ``x_base`` (a page's time over
  this one's) says what the page's own work costs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as ladder_urlpatterns

BARE_PATH = "/__bench__/bare/"
BASE_PATH = "/__bench__/base/"


def bare(request: HttpRequest) -> HttpResponse:
    """Through the same middleware as every page (session, user, membership, CSP, ...), with
    no queries or template of its own."""
    return HttpResponse("ok", content_type="text/plain")


def base(request: HttpRequest) -> HttpResponse:
    """The base template, with nothing in its content block."""
    return render(request, "base.html", {})


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare, name="bench_bare"),
    path(BASE_PATH.strip("/") + "/", base, name="bench_base"),
    *ladder_urlpatterns,
]
