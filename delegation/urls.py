from django.urls import path

from . import views

app_name = "delegation"

urlpatterns = [
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/accept/", views.partnership_accept, name="partnership_accept"),
    path("partnerships/<int:pk>/decline/", views.partnership_decline, name="partnership_decline"),
    path("partnerships/<int:pk>/end/", views.partnership_end, name="partnership_end"),
    path(
        "partnerships/<int:pk>/competencies/", views.partnership_competencies,
        name="partnership_competencies",
    ),
    path(
        "programmes/<int:pk>/partnerships/", views.programme_partnerships,
        name="programme_partnerships",
    ),
    path("practitioners/", views.registration_list, name="registrations"),
    path("practitioners/new/", views.registration_create, name="registration_create"),
    path("practitioners/<int:pk>/", views.registration_edit, name="registration_edit"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("delegations/", views.delegation_list, name="list"),
    path("delegations/new/", views.delegation_create, name="create"),
    path("delegations/workers/", views.worker_list, name="workers"),
    path("delegations/<int:pk>/", views.delegation_detail, name="detail"),
    path("delegations/<int:pk>/acknowledge/", views.delegation_acknowledge, name="acknowledge"),
    path("delegations/<int:pk>/end/", views.delegation_end, name="end"),
    path("delegations/<int:pk>/supervision/", views.contact_create, name="contact_create"),
]
