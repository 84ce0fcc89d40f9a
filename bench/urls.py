"""The benchmark's URLconf: Ladder's own URLs plus one bare view, the baseline every page's
time is divided by. It lives here, not in config/urls.py, so the app never serves it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as ladder_urlpatterns

BARE_PATH = "/__bench__/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    """Through the same middleware as every page (session, user, membership, CSP, ...), with
    no queries or template of its own."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare, name="bench_bare"), *ladder_urlpatterns]
