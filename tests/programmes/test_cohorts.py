"""Opening and changing cohorts from the programme."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from programmes.models import Cohort, Role

from ..conftest import make_person
from .helpers import Page, date_parts, partner_organisation


def cohort_data(name="Cohort 2", starts=date(2027, 1, 4), ends=date(2028, 12, 15), **extra):
    return {
        "name": name,
        "intake_number": "",
        "study_hours_per_week": "7.5",
        **date_parts("starts_on", starts),
        **date_parts("ends_on", ends),
        **extra,
    }


def test_a_lead_opens_a_cohort_with_lecturers_and_the_next_intake_number(client_as, world):
    university, partner_lecturer, _ = partner_organisation(world)
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:cohort_create", kwargs={"pk": world.programme.pk})

    page = Page(client.get(url))
    offered = {n.attrs["value"] for n in page.all(name="lecturers")}
    # Lecturers of the lead and partner organisations; nobody else.
    assert offered == {str(world.person(Role.LECTURER).pk), str(partner_lecturer.pk)}

    response = client.post(
        url, cohort_data(lecturers=[partner_lecturer.pk], study_hours_per_week="6")
    )

    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("programmes:detail", kwargs={"pk": world.programme.pk}) + "#cohorts"
    )
    cohort = Cohort.objects.get(name="Cohort 2")
    assert cohort.intake_number == 2
    assert cohort.study_hours_per_week == Decimal("6")
    assert list(cohort.lecturers.all()) == [partner_lecturer]

    shown = Page(client.get(response["Location"]))
    rows = shown.rows(data_testid="cohort")
    assert [row["Cohort"] for row in rows] == ["Cohort 1", "Cohort 2"]
    assert rows[1]["Lecturers"] == partner_lecturer.get_full_name()
    assert rows[1]["Study hours a week"] == "6"
    assert reverse("trainees:cohort_detail", kwargs={"pk": cohort.pk}) in shown.links()


def test_an_end_before_the_start_is_refused_next_to_the_end_date_and_nothing_is_saved(
    client_as, world
):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:cohort_create", kwargs={"pk": world.programme.pk})
    response = client.post(url, cohort_data(starts=date(2027, 1, 4), ends=date(2026, 12, 1)))

    assert response.status_code == 200
    page = Page(response)
    assert page.error_for("id_ends_on") == "The expected end must be after the start date."
    assert page.error_for("id_starts_on") == ""
    assert not Cohort.objects.filter(name="Cohort 2").exists()
    # The same message the database constraint carries.
    assert "The expected end must be after the start date." in [
        str(c.violation_error_message) for c in Cohort._meta.constraints
    ]


def test_a_taken_intake_number_and_too_many_study_hours_are_refused_by_their_fields(
    client_as, world
):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:cohort_create", kwargs={"pk": world.programme.pk})
    response = client.post(url, cohort_data(intake_number="1", study_hours_per_week="41"))

    page = Page(response)
    assert (
        page.error_for("id_intake_number")
        == "This programme already has a cohort with intake number 1"
    )
    assert (
        page.error_for("id_study_hours_per_week") == "Study hours a week must be between 0 and 40."
    )
    assert Cohort.objects.filter(programme=world.programme).count() == 1


def test_someone_who_is_not_a_lecturer_cannot_be_made_one(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:cohort_create", kwargs={"pk": world.programme.pk})
    elsewhere = make_person(world.other_organisation, Role.LECTURER, "lecturer.other")
    response = client.post(url, cohort_data(lecturers=[world.person(Role.MENTOR).pk, elsewhere.pk]))
    assert response.status_code == 200
    assert "from the choices given" in Page(response).error_for("id_lecturers")
    assert not Cohort.objects.filter(name="Cohort 2").exists()


def test_a_lead_changes_a_cohort(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:cohort_edit", kwargs={"pk": world.cohort.pk})
    page = Page(client.get(url))
    assert page.all(name="intake_number")[0].attrs["value"] == "1"
    assert (
        "checked" in page.all(name="lecturers", value=str(world.person(Role.LECTURER).pk))[0].attrs
    )

    response = client.post(
        url,
        cohort_data(
            name="Cohort 1 (2026 intake)",
            intake_number="1",
            starts=date(2026, 1, 5),
            ends=date(2027, 12, 17),
            lecturers=[],
        ),
    )

    assert response.status_code == 302
    world.cohort.refresh_from_db()
    assert world.cohort.name == "Cohort 1 (2026 intake)"
    assert list(world.cohort.lecturers.all()) == []


def test_changing_a_cohort_to_end_before_it_starts_is_refused(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:cohort_edit", kwargs={"pk": world.cohort.pk})
    response = client.post(
        url, cohort_data(name="Cohort 1", intake_number="1", ends=date(2026, 1, 1))
    )
    assert (
        Page(response).error_for("id_ends_on") == "The expected end must be after the start date."
    )
    world.cohort.refresh_from_db()
    assert world.cohort.ends_on == date(2027, 12, 17)


def test_a_lecturer_sees_only_the_cohorts_they_teach_on_the_programme_page(client_as, world):
    from programmes import services

    services.cohort_create(
        programme=world.programme,
        name="Cohort 2",
        starts_on=date(2027, 1, 4),
        ends_on=date(2028, 1, 4),
    )
    page = Page(
        client_as(Role.LECTURER).get(
            reverse("programmes:detail", kwargs={"pk": world.programme.pk})
        )
    )
    assert [row["Cohort"] for row in page.rows(data_testid="cohort")] == ["Cohort 1"]
    page = Page(
        client_as(Role.PLANNER).get(reverse("programmes:detail", kwargs={"pk": world.programme.pk}))
    )
    assert [row["Cohort"] for row in page.rows(data_testid="cohort")] == ["Cohort 1", "Cohort 2"]
