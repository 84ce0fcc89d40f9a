from django.urls import path  # noqa: F401

app_name = "enrolment_import"

urlpatterns: list = []
