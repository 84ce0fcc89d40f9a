"""Credentials: public addresses (checked by anyone, signed in or not), the trainee's list, and
a lead's suspending and lifting a suspension.
Who may use each: tests/access_entries/credentials.py."""

from django.urls import path, register_converter

from . import views


class PurposeConverter:
    regex = "revocation|suspension"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PurposeConverter, "purpose")

app_name = "credentials"

urlpatterns = [
    path("organisations/<slug:slug>/did.json", views.did_document, name="did_document"),
    path(
        "organisations/<slug:slug>/status/<purpose:purpose>/<int:number>",
        views.status_list, name="status_list",
    ),
    path("credentials/<str:public_id>/", views.credential_public, name="public"),
    path("credentials/<str:public_id>/download", views.credential_download, name="download"),
    path("credentials/<str:public_id>/qr.svg", views.credential_qr, name="qr"),
    path("trainees/<int:pk>/credentials/", views.trainee_credentials, name="trainee_list"),
    path(
        "trainees/<int:trainee_pk>/credentials/<int:pk>/suspend/", views.credential_suspend, name="suspend",
    ),
    path(
        "trainees/<int:trainee_pk>/credentials/<int:pk>/lift-suspension/", views.credential_unsuspend,
        name="unsuspend",
    ),
]
