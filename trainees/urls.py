"""The trainee-record screens. Who may use each: tests/access_entries/trainees.py."""

from django.urls import path

from . import views

app_name = "trainees"

urlpatterns = [
    # Cohorts
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/enrol/", views.enrol, name="enrol"),
    # Trainees
    path("trainees/", views.trainee_list, name="list"),
    path("trainees/new/", views.trainee_create, name="create"),
    path("trainees/<int:pk>/", views.trainee_detail, name="detail"),
    path("trainees/<int:pk>/edit/", views.trainee_edit, name="edit"),
    # Enrolments: status, contract, study time, reviews
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/status/", views.enrolment_transition, name="enrolment_transition"),
    path("enrolments/<int:pk>/contract/", views.contract_edit, name="contract_edit"),
    path("enrolments/<int:pk>/contract/sign/", views.contract_sign, name="contract_sign"),
    path("enrolments/<int:pk>/study-plan/", views.plan_edit, name="plan_edit"),
    path(
        "enrolments/<int:pk>/study-time/", views.study_session_create, name="study_session_create"
    ),
    path("enrolments/<int:pk>/reviews/", views.review_create, name="review_create"),
    # Overviews and each role's own screens
    path("study-time/wards/", views.study_time_by_ward, name="study_time_by_ward"),
    path("study-time/week/", views.study_week, name="study_week"),
    path("my/trainees/", views.my_trainees, name="my_trainees"),
    path("my/mentees/", views.my_mentees, name="my_mentees"),
    path("my/record/", views.my_record, name="my_record"),
]
