from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_create, name="create"),
    path("programmes/<int:pk>/", views.programme_detail, name="detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="edit"),
    path("programmes/<int:pk>/code-of-practice/", views.code_of_practice, name="code_of_practice"),
    path("programmes/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("programmes/<int:pk>/cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
]
