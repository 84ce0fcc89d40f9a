from django.urls import path

from . import views

app_name = "trainees"

urlpatterns = [
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
]
