"""The personal API token pages, under the account pages (/account/tokens/)."""

from django.urls import path

from . import account_views

app_name = "api_tokens"

urlpatterns = [
    path("", account_views.token_list, name="list"),
    path("<int:pk>/revoke/", account_views.token_revoke, name="revoke"),
]
