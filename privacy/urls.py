"""Subject access and erasure. Who may use each: tests/access_entries/privacy.py."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("trainees/<int:pk>/personal-data/", views.personal_data, name="personal_data"),
    path("trainees/<int:pk>/personal-data/export/", views.export, name="export"),
    path(
        "trainees/<int:pk>/personal-data/exports/<int:event_pk>/download/",
        views.export_download, name="export_download",
    ),
    path("trainees/<int:pk>/personal-data/erase/", views.erase, name="erase"),
]
