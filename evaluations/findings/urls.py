"""Themes and coded findings, audits at key stages, service-user satisfaction, exports."""
from django.urls import path

from . import views

app_name = "findings"

urlpatterns = [
    # The code list and coding
    path("programmes/<int:programme_pk>/themes/", views.themes, name="themes"),
    path("themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/delete/", views.theme_delete, name="theme_delete"),
    path("stages/<int:stage_pk>/coding/", views.coding, name="coding"),
    # Findings
    path("stages/<int:stage_pk>/findings/", views.stage_findings, name="stage_findings"),
    path("cohorts/<int:cohort_pk>/findings/", views.cohort_findings, name="cohort_findings"),
    # Audits
    path("audits/tools/", views.audit_tools, name="audit_tools"),
    path("programmes/<int:programme_pk>/audits/new/", views.audit_round_create, name="audit_round_create"),
    path("programmes/<int:programme_pk>/audits/", views.programme_audits, name="programme_audits"),
    # Service-user satisfaction
    path("programmes/<int:programme_pk>/satisfaction/", views.satisfaction, name="satisfaction"),
    path(
        "programmes/<int:programme_pk>/satisfaction/import/", views.satisfaction_import,
        name="satisfaction_import",
    ),
    # Export
    path(
        "cohorts/<int:cohort_pk>/evaluation/export/<slug:family>.csv", views.instrument_export,
        name="instrument_export",
    ),
]
