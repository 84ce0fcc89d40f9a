"""Self-assessment, the assessor's queue, reassessment, withdrawal and sign-off statements. Who
may use each: tests/access_entries/assessment.py."""

from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("my/self-assessment/", views.self_assess, name="self_assess"),
    path("self-assessments/<int:pk>/", views.self_assessment_detail, name="self_assessment"),
    path("assessor/queue/", views.queue, name="queue"),
    path(
        "trainees/<int:trainee_pk>/competencies/<int:competency_pk>/reassess/",
        views.reassess,
        name="reassess",
    ),
    path(
        "trainees/<int:trainee_pk>/competencies/<int:competency_pk>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("assessment-policy/", views.policy, name="policy"),
]
