"""Frameworks: the bundled national frameworks, Moodle CSV import and export, browsing."""

from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("frameworks/", views.framework_list, name="list"),
    path("frameworks/import/", views.framework_import_upload, name="import"),
    path("frameworks/import/<str:token>/", views.framework_import_preview, name="import_preview"),
    path("frameworks/<int:pk>/", views.framework_detail, name="detail"),
    path("frameworks/<int:pk>/export.csv", views.framework_export_csv, name="export"),
    path("frameworks/<int:pk>/validity/", views.framework_validity, name="validity"),
]
