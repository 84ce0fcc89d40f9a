"""Adding and changing trainee records (training leads)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import Role
from trainees.models import Trainee

pytestmark = pytest.mark.django_db


def _data(world, **overrides):
    data = {
        "first_name": "Robin", "last_name": "New", "email": "robin@example.org",
        "employee_number": "E3001", "band": "3", "job_title": "HCSW",
        "clinical_area": world.ward.pk, "line_manager": world.person(Role.MANAGER).pk,
        "mentor": world.person(Role.MENTOR).pk, "user": "",
    }
    return {**data, **overrides}


def test_lead_adds_a_trainee(world, client_as):
    response = client_as(Role.TRAINING_LEAD).post(reverse("trainees:create"), _data(world))
    trainee = Trainee.objects.get(employee_number="E3001")
    assert response.status_code == 302
    assert response["Location"] == reverse("trainees:detail", kwargs={"pk": trainee.pk})
    assert trainee.organisation == world.organisation
    assert trainee.line_manager == world.person(Role.MANAGER)


def test_a_duplicate_employee_number_shows_next_to_the_field_and_saves_nothing(world, client_as):
    before = Trainee.objects.count()
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("trainees:create"), _data(world, employee_number="E1001")  # Sam's
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["employee_number"] == [
        "Another trainee in this organisation has this employee number."
    ]
    assert not form.non_field_errors()
    assert Trainee.objects.count() == before
    html = response.content.decode()
    assert 'id="id_employee_number-error"' in html


def test_the_same_employee_number_in_another_organisation_is_fine(world, client_as):
    # Acme numbers a trainee E3001; the other organisation's lead may use E3001 for their own.
    assert client_as(Role.TRAINING_LEAD).post(reverse("trainees:create"), _data(world)).status_code == 302
    response = client_as("outsider").post(reverse("trainees:create"), {
        "first_name": "Jo", "last_name": "Other", "employee_number": "E3001",
    })

    assert response.status_code == 302
    assert set(
        Trainee.objects.filter(employee_number="E3001").values_list("organisation__slug", "first_name")
    ) == {("acme", "Robin"), ("other", "Jo")}


def test_choices_are_the_organisations_own_people_and_wards(world, client_as):
    form = client_as(Role.TRAINING_LEAD).get(reverse("trainees:create")).context["form"]
    assert set(form.fields["line_manager"].queryset) == {
        world.person(Role.MANAGER), world.person(Role.TRAINING_LEAD)
    }
    assert list(form.fields["mentor"].queryset) == [world.person(Role.MENTOR)]
    assert list(form.fields["clinical_area"].queryset) == [world.ward]
    # The trainee login is already linked to Sam: nobody left to link.
    assert list(form.fields["user"].queryset) == []
    assert world.outsider not in form.fields["line_manager"].queryset


def test_a_manager_from_another_organisation_is_refused(world, client_as):
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("trainees:create"), _data(world, line_manager=world.outsider.pk)
    )
    assert response.status_code == 200
    assert "line_manager" in response.context["form"].errors
    assert not Trainee.objects.filter(employee_number="E3001").exists()


def test_lead_changes_a_record_keeping_its_own_login_as_a_choice(world, client_as):
    url = reverse("trainees:edit", kwargs={"pk": world.trainee.pk})
    client = client_as(Role.TRAINING_LEAD)
    form = client.get(url).context["form"]
    assert world.person(Role.TRAINEE) in form.fields["user"].queryset
    data = _data(world, first_name="Samantha", employee_number="E1001",
                 user=world.person(Role.TRAINEE).pk)
    data["fingerprint"] = form.initial["fingerprint"]  # as the page sends it
    response = client.post(url, data)
    assert response.status_code == 302
    world.trainee.refresh_from_db()
    assert world.trainee.first_name == "Samantha"
    assert world.trainee.user == world.person(Role.TRAINEE)


def test_only_training_leads_change_records(world, client_as):
    url = reverse("trainees:edit", kwargs={"pk": world.trainee.pk})
    for role in (Role.MANAGER, Role.TRAINEE, Role.PLANNER):
        assert client_as(role).post(url, _data(world)).status_code == 403
    world.trainee.refresh_from_db()
    assert world.trainee.first_name == "Sam"


def test_the_list_searches_by_name_or_employee_number(world, client_as):
    from .helpers import add_trainee

    add_trainee(world, first_name="Priya", last_name="Shah", employee_number="E7777")
    client = client_as(Role.TRAINING_LEAD)
    by_name = client.get(reverse("trainees:list"), {"q": "priya sh"}).context["page_obj"]
    assert [t.full_name for t in by_name] == ["Priya Shah"]
    by_number = client.get(reverse("trainees:list"), {"q": "E1001"}).context["page_obj"]
    assert [t.full_name for t in by_number] == ["Sam Trainee"]
    by_band = client.get(reverse("trainees:list"), {"band": "3"}).context["page_obj"]
    assert [t.full_name for t in by_band] == ["Sam Trainee"]
