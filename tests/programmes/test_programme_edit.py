"""Creating and changing a programme through its pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes import services
from programmes.models import ClinicalArea, Organisation, Programme, Role

from .helpers import Page, partner_organisation


def programme_data(**overrides) -> dict:
    data = {
        "title": "Nursing associate in care homes",
        "status": "planning",
        "description": "A registered role between HCSW and nurse.",
        "setting": "Care homes",
        "education_route": "apprenticeship",
        "education_detail": "ST0827 nursing associate, level 5",
        "apprenticeship_standard": "ST0827",
        "funding_source": "Apprenticeship levy",
        "intended_benefits": "Improve access to physical healthcare\n\n  More time for nurses  \n",
        "drivers_and_standards": "NMC standards of proficiency\nCQC inpatient survey",
        "new_clinical_areas": "",
    }
    data.update(overrides)
    return data


def test_a_training_lead_creates_a_programme_with_benefits_and_new_wards_but_names_no_partner(client_as, world):
    university = services.organisation_ensure(
        slug="westmoor", name="Westmoor University", kind=Organisation.Kind.EDUCATION
    )
    client = client_as(Role.TRAINING_LEAD)

    form_page = client.get(reverse("programmes:create"))
    assert form_page.status_code == 200
    page = Page(form_page)
    # No list of every tenant: partners are asked by exact name or code, and must accept.
    assert page.all(name="partners") == []
    assert str(university.pk) not in [n.attrs.get("value") for n in page.all(name="partners")]
    assert "Other Health Board" not in form_page.content.decode()

    response = client.post(
        reverse("programmes:create"),
        programme_data(
            partners=[university.pk],
            clinical_areas=[world.ward.pk],
            new_clinical_areas="Birch Ward\nLarch Ward\n\nCommunity team",
        ),
    )

    programme = Programme.objects.get(title="Nursing associate in care homes")
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:detail", kwargs={"pk": programme.pk})
    assert programme.organisation == world.organisation
    assert not programme.partnerships.exists()  # a posted "partners" field names nobody
    assert sorted(a.name for a in programme.clinical_areas.all()) == [
        "Birch Ward",
        "Community team",
        "Larch Ward",
    ]
    assert (
        ClinicalArea.objects.filter(organisation=world.organisation, name="Larch Ward").count() == 1
    )
    assert programme.intended_benefits == [
        "Improve access to physical healthcare",
        "More time for nurses",
    ]
    assert programme.drivers_and_standards == [
        "NMC standards of proficiency",
        "CQC inpatient survey",
    ]
    assert programme.apprenticeship_standard == "ST0827"

    shown = Page(client.get(response["Location"]))
    assert "Programme “Nursing associate in care homes” created." in shown.root.text()
    assert shown.text(data_testid="partners") == "None"
    assert shown.items(data_testid="intended-benefits") == [
        "Improve access to physical healthcare",
        "More time for nurses",
    ]


def test_editing_shows_the_saved_values_and_changes_them(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:edit", kwargs={"pk": world.programme.pk})

    page = Page(client.get(url))
    assert (
        page.text(id="id_intended_benefits")
        == "Improve service users' access to physical healthcare"
    )
    assert "checked" in page.all(name="clinical_areas", value=str(world.ward.pk))[0].attrs

    response = client.post(
        url,
        programme_data(
            title="Inpatient assistant practitioner (band 4)",
            status="running",
            clinical_areas=[],
            partners=[world.other_organisation.pk],
            intended_benefits="Clear career pathway",
        ),
    )

    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.title == "Inpatient assistant practitioner (band 4)"
    assert world.programme.status == "running"
    assert world.programme.intended_benefits == ["Clear career pathway"]
    assert list(world.programme.clinical_areas.all()) == []
    assert not world.programme.partnerships.exists()


def test_a_programme_without_a_title_is_refused_with_the_message_by_the_field(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    response = client.post(reverse("programmes:create"), programme_data(title=""))

    assert response.status_code == 200
    page = Page(response)
    assert page.error_for("id_title") == "Enter title"
    assert page.has(**{"class": "nhsuk-error-summary"})
    assert not Programme.objects.filter(
        description="A registered role between HCSW and nurse."
    ).exists()


def test_a_ward_name_too_long_is_refused_and_nothing_is_created(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    response = client.post(
        reverse("programmes:create"), programme_data(new_clinical_areas="Ward " + "x" * 130)
    )
    assert response.status_code == 200
    assert "120 characters or fewer" in Page(response).error_for("id_new_clinical_areas")
    assert not Programme.objects.filter(title="Nursing associate in care homes").exists()


def test_another_organisations_clinical_area_cannot_be_chosen(client_as, world):
    theirs = services.clinical_area_ensure(organisation=world.other_organisation, name="Their ward")
    client = client_as(Role.TRAINING_LEAD)
    response = client.post(reverse("programmes:create"), programme_data(clinical_areas=[theirs.pk]))
    assert response.status_code == 200
    assert "from the choices given" in Page(response).error_for("id_clinical_areas")


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.MENTOR, Role.LECTURER, Role.PLANNER, Role.TRAINEE]
)
def test_only_training_leads_create_or_change_programmes(client_as, world, role):
    client = client_as(role)
    assert client.get(reverse("programmes:create")).status_code == 403
    assert client.post(reverse("programmes:create"), programme_data()).status_code == 403
    edit = reverse("programmes:edit", kwargs={"pk": world.programme.pk})
    assert client.post(edit, programme_data()).status_code == 403
    assert not Programme.objects.filter(title="Nursing associate in care homes").exists()


def test_another_organisations_lead_gets_404_on_edit(client_as, world):
    client = client_as("outsider")
    edit = reverse("programmes:edit", kwargs={"pk": world.programme.pk})
    assert client.get(edit).status_code == 404
    assert client.post(edit, programme_data()).status_code == 404
    world.programme.refresh_from_db()
    assert world.programme.title == "Inpatient assistant practitioner"


def test_a_partner_sees_the_programme_in_their_list_but_cannot_change_it(client, world):
    university, lecturer, lead = partner_organisation(world)

    client.force_login(lead)
    listed = Page(client.get(reverse("programmes:list")))
    assert "Inpatient assistant practitioner" in listed.text(data_testid="programmes")
    assert "(you are a partner)" in listed.text(data_testid="programmes")

    detail = client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk}))
    assert detail.status_code == 200
    page = Page(detail)
    assert page.has(data_testid="partner-notice")
    assert reverse("programmes:edit", kwargs={"pk": world.programme.pk}) not in page.links()
    assert not page.has(data_testid="audit-trail")

    edit = reverse("programmes:edit", kwargs={"pk": world.programme.pk})
    assert client.get(edit).status_code == 403
    assert client.post(edit, programme_data()).status_code == 403
    milestone_new = reverse("programmes:milestone_create", kwargs={"pk": world.programme.pk})
    assert client.get(milestone_new).status_code == 403
    assert (
        client.get(
            reverse("programmes:milestone_edit", kwargs={"pk": world.milestone.pk})
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("programmes:milestone_delete", kwargs={"pk": world.milestone.pk})
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse("programmes:cohort_create", kwargs={"pk": world.programme.pk})
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("programmes:cohort_edit", kwargs={"pk": world.cohort.pk})).status_code
        == 403
    )
    world.milestone.refresh_from_db()  # still there
