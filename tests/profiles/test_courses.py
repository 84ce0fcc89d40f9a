"""Courses: existing education the organisation runs or buys."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competencies.models import Course
from competencies.profiles import services
from programmes.models import Role


def test_a_lead_adds_and_changes_a_course_through_the_pages(client_as, world, frameworks):
    client = client_as(Role.TRAINING_LEAD)
    form = client.get(reverse("profiles:course_create")).content.decode()
    assert (
        "What it covers in Care Certificate" in form
        and "What it covers in Acme IAP competencies" in form
    )
    assert "Other&#x27;s own" not in form
    cc5, iap1 = frameworks.c(frameworks.national, "CC5"), frameworks.c(frameworks.own, "IAP-1")
    response = client.post(
        reverse("profiles:course_create"),
        {
            "name": "Physical health skills",
            "provider": "Westmoor University",
            f"covers_{frameworks.national.pk}": [cc5.pk],
            f"covers_{frameworks.own.pk}": [iap1.pk],
        },
    )
    assert response.status_code == 302
    course = Course.objects.get()
    assert (course.organisation, set(course.covers.all())) == (world.organisation, {cc5, iap1})

    edit = reverse("profiles:course_edit", kwargs={"pk": course.pk})
    form = client.get(edit).context["form"]
    assert form[f"covers_{frameworks.national.pk}"].initial == [cc5.pk]
    assert form[f"covers_{frameworks.own.pk}"].initial == [iap1.pk]
    client.post(
        edit,
        {
            "name": "Physical health skills (2026)",
            "provider": "",
            f"covers_{frameworks.own.pk}": [iap1.pk],
        },
    )
    course.refresh_from_db()
    assert course.name == "Physical health skills (2026)" and list(course.covers.all()) == [iap1]

    listing = client_as(Role.TRAINEE).get(reverse("profiles:courses")).content.decode()
    assert "Physical health skills (2026)" in listing and "IAP-1 Physical health checks" in listing


def test_a_course_without_a_name_is_refused(client_as):
    response = client_as(Role.TRAINING_LEAD).post(reverse("profiles:course_create"), {"name": ""})
    assert response.status_code == 200 and "Enter the course name" in response.content.decode()
    assert not Course.objects.exists()


def test_a_competency_of_another_organisation_cannot_be_covered(world, frameworks, lead):
    with pytest.raises(ValidationError):
        services.course_create(
            organisation=world.organisation,
            name="X",
            covers=[frameworks.c(frameworks.others, "OT-1")],
            actor=lead,
        )


def test_another_organisations_framework_cannot_be_posted(client_as, frameworks):
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("profiles:course_create"),
        {
            "name": "X",
            f"covers_{frameworks.others.pk}": [frameworks.c(frameworks.others, "OT-1").pk],
        },
    )
    assert response.status_code == 302  # the unknown field is ignored
    assert not Course.objects.get().covers.exists()


def test_the_outsider_cannot_see_or_change_acmes_courses(client_as, world):
    course = Course.objects.create(organisation=world.organisation, name="Acme induction")
    client = client_as("outsider")
    assert "Acme induction" not in client.get(reverse("profiles:courses")).content.decode()
    assert (
        client.post(
            reverse("profiles:course_edit", kwargs={"pk": course.pk}), {"name": "Mine"}
        ).status_code
        == 404
    )
    course.refresh_from_db()
    assert course.name == "Acme induction"


def test_a_mentor_cannot_add_a_course(client_as):
    assert (
        client_as(Role.MENTOR).post(reverse("profiles:course_create"), {"name": "X"}).status_code
        == 403
    )
    assert not Course.objects.exists()
