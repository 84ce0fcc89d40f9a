"""Mappings between frameworks, courses, the programme's role profile and gap analysis."""

from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("programmes/<int:programme_pk>/role-profile/", views.role_profile, name="role_profile"),
    path(
        "programmes/<int:programme_pk>/role-profile/add/",
        views.role_profile_add,
        name="role_profile_add",
    ),
    path(
        "role-profile-items/<int:pk>/edit/",
        views.role_profile_item_edit,
        name="role_profile_item_edit",
    ),
    path(
        "role-profile-items/<int:pk>/remove/",
        views.role_profile_item_remove,
        name="role_profile_item_remove",
    ),
    path("programmes/<int:programme_pk>/gap-analysis/", views.gap_analysis, name="gap_analysis"),
    path("competencies/<int:pk>/mappings/", views.mappings, name="mappings"),
    path("mappings/<int:pk>/remove/", views.mapping_remove, name="mapping_remove"),
    path("mappings/import/", views.mapping_import, name="mapping_import"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
]
