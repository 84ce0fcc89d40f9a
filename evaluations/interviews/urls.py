"""Instruments, evaluation stages, interviews and their reminders."""
from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/edit/", views.instrument_edit, name="instrument_edit"),
    path("programmes/<int:programme_pk>/evaluation-plan/", views.programme_plan, name="programme_plan"),
    path("cohorts/<int:cohort_pk>/evaluation/", views.cohort_stages, name="cohort_stages"),
    path("cohorts/<int:cohort_pk>/evaluation/defaults/", views.stages_defaults, name="stages_defaults"),
    path("cohorts/<int:cohort_pk>/evaluation/stages/new/", views.stage_create, name="stage_create"),
    path("stages/<int:pk>/", views.stage_detail, name="stage_detail"),
    path("stages/<int:pk>/edit/", views.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/open/", views.stage_open, name="stage_open"),
    path("stages/<int:pk>/close/", views.stage_close, name="stage_close"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/record/", views.interview_record, name="interview_record"),
    path("my/interviews/", views.my_interviews, name="my_interviews"),
]
