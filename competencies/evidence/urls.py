"""Evidence, sign-off, the cohort progress matrix, portfolios and delegation readiness. Who may
use each: tests/access_entries/evidence.py."""

from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.evidence_list, name="list"),
    path("evidence/new/", views.evidence_create, name="create"),
    path("evidence/<int:pk>/", views.evidence_detail, name="detail"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="edit"),
    path("evidence/<int:pk>/sign-off/", views.evidence_sign_off, name="sign_off"),
    path("evidence/<int:pk>/return/", views.evidence_return, name="return"),
    path("evidence/<int:pk>/reply/", views.evidence_reply, name="reply"),
    path("evidence/files/<int:pk>/", views.evidence_file, name="file"),
    path("cohorts/<int:cohort_pk>/matrix/", views.cohort_matrix, name="matrix"),
    path("trainees/<int:trainee_pk>/portfolio/", views.portfolio, name="portfolio"),
    path("my/portfolio/", views.my_portfolio, name="my_portfolio"),
    path("delegation/", views.delegation, name="delegation"),
]
