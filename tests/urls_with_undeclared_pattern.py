"""A URLconf for the test of the access test: the project's URLs plus one undeclared page."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_patterns

undeclared = ([path("secret/", lambda request: HttpResponse("secret"), name="secret")], "undeclared")

urlpatterns = [*project_patterns, path("", include(undeclared))]
