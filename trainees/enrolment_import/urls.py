"""Bulk enrolment of trainees on a cohort from a CSV file: preview, then all-or-nothing import."""

from django.urls import path

from . import views

app_name = "enrolment_import"

urlpatterns = [
    path("cohorts/<int:cohort_pk>/import/", views.upload, name="upload"),
    path("cohorts/<int:cohort_pk>/import/example.csv", views.example, name="example"),
    path("imports/<int:pk>/", views.preview, name="preview"),
    path("imports/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("imports/<int:pk>/progress/", views.progress, name="progress"),
]
