from django.urls import path

from . import views

app_name = "people"

urlpatterns: list = [
    # Single sign-on (OpenID Connect): 404 unless it is configured.
    path("account/sso/start/", views.sso_start, name="sso_start"),
    path("account/sso/callback/", views.sso_callback, name="sso_callback"),
]
