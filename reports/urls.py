from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.job_list, name="list"),
    path("reports/exports/", views.export, name="export"),
    path("reports/<int:pk>/", views.job_detail, name="job_detail"),
    path("reports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("reports/<int:pk>/download/", views.job_download, name="download"),
    path("programmes/<int:programme_pk>/case-study/", views.case_study_edit, name="case_study_edit"),
    path("programmes/<int:programme_pk>/case-study/preview/", views.case_study_preview, name="case_study_preview"),
    path("programmes/<int:programme_pk>/case-study/request/", views.request_case_study, name="request_case_study"),
    path("cohorts/<int:cohort_pk>/progress-report/", views.request_cohort_progress, name="request_cohort_progress"),
    path("trainees/<int:trainee_pk>/portfolio/pdf/", views.request_portfolio, name="request_portfolio"),
]
