from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_patterns

urlpatterns = [*project_patterns, path("unnamed/", lambda request: HttpResponse("?"))]
