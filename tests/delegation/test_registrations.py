"""A training lead records their own staff's professional registration (NMC / HCPC, number,
profession, expiry): the form, its checks, the list, the audit trail, and what an expired
registration stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from delegation import selectors, services
from delegation.models import PractitionerRegistration
from programmes.models import Role

from ..conftest import make_person
from .factories import add_partner, membership


@pytest.fixture
def joint(world):
    return add_partner(world)


def _date(prefix: str, value) -> dict:
    return {f"{prefix}_day": value.day, f"{prefix}_month": value.month, f"{prefix}_year": value.year}


def test_a_lead_records_a_physiotherapists_registration_and_it_is_listed_and_audited(client, joint):
    world = joint
    physio = make_person(world.partner_organisation, Role.MENTOR, "physio.eastvale")
    physio_membership = membership(physio, world.partner_organisation, Role.MENTOR)
    client.force_login(world.partner)
    form = client.get(reverse("delegation:registration_create"))
    assert physio_membership.person_name in form.content.decode()
    # The nurse already has one: not offered again.
    assert f'value="{world.nurse_membership.pk}"' not in form.content.decode()
    expires = timezone.localdate() + timedelta(days=200)
    response = client.post(reverse("delegation:registration_create"), {
        "person": physio_membership.pk, "register": "hcpc", "registration_number": "ph 123456",
        "profession": "Physiotherapist", **_date("expires_on", expires),
    })
    assert response.status_code == 302
    registration = PractitionerRegistration.objects.get(membership=physio_membership)
    assert (registration.registration_number, registration.expires_on) == ("PH123456", expires)
    listing = client.get(reverse("delegation:registrations")).content.decode()
    assert "Physiotherapist" in listing and "PH123456" in listing and "12A" in listing
    edit = client.get(reverse("delegation:registration_edit", kwargs={"pk": registration.pk}))
    entries = list(edit.context["audit_entries"])
    assert entries and entries[0].actor == world.partner


@pytest.mark.parametrize("number, register, expires_days, field, message", [
    ("1234", "nmc", 100, "registration_number", "An NMC PIN is 8 characters"),
    ("12A3456E", "hcpc", 100, "registration_number", "An HCPC number is 2 letters"),
    ("12A3456E", "nmc", -1, "expires_on", "This registration has expired"),
    ("", "nmc", 100, "registration_number", "Enter the registration number"),
])
def test_bad_input_is_named_next_to_the_field(client, joint, number, register, expires_days, field, message):
    world = joint
    physio = make_person(world.partner_organisation, Role.MANAGER, "manager.eastvale")
    target = membership(physio, world.partner_organisation, Role.MANAGER)
    client.force_login(world.partner)
    response = client.post(reverse("delegation:registration_create"), {
        "person": target.pk, "register": register, "registration_number": number,
        "profession": "District nurse", **_date("expires_on", timezone.localdate() + timedelta(days=expires_days)),
    })
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not PractitionerRegistration.objects.filter(membership=target).exists()


def test_a_number_already_recorded_for_another_person_is_refused_next_to_the_field(client, joint):
    world = joint
    taken = world.nurse_membership.practitioner_registration.registration_number  # Eastvale's nurse
    colleague = membership(make_person(world.partner_organisation, Role.MANAGER, "manager.eastvale"),
                           world.partner_organisation, Role.MANAGER)
    client.force_login(world.partner)
    # Spaced and in small letters, it is the same number as kept.
    typed = f"{taken[:2]} {taken[2:].lower()}"
    response = client.post(reverse("delegation:registration_create"), {
        "person": colleague.pk, "register": "nmc", "registration_number": typed,
        "profession": "District nurse", **_date("expires_on", timezone.localdate() + timedelta(days=100)),
    })
    assert response.status_code == 200
    # Eastvale's lead is told whose it is: their own nurse.
    assert response.context["form"].errors["registration_number"] == [
        f"This NMC PIN is already recorded for {world.nurse_membership.person_name}. "
        "Check the number: each NMC PIN belongs to one person"
    ]
    assert not PractitionerRegistration.objects.filter(membership=colleague).exists()
    # Across organisations too, without naming the other organisation's person.
    with pytest.raises(ValidationError) as refused:
        services.practitioner_register(
            membership=world.ward_nurse_membership, profession="Registered nurse", register="nmc",
            registration_number=taken, expires_on=timezone.localdate() + timedelta(days=5),
            actor=world.person(Role.TRAINING_LEAD),
        )
    (message,) = refused.value.message_dict["registration_number"]
    assert message.startswith("This NMC PIN is already recorded for a person in another organisation.")
    assert world.nurse.last_name not in message
    # Changing an existing record to another person's number is refused too.
    registration = world.ward_nurse_membership.practitioner_registration
    client.force_login(world.person(Role.TRAINING_LEAD))
    response = client.post(reverse("delegation:registration_edit", kwargs={"pk": registration.pk}), {
        "register": "nmc", "registration_number": taken, "profession": "Registered nurse",
        **_date("expires_on", timezone.localdate() + timedelta(days=100)),
    })
    assert "already recorded for a person in another organisation" in response.context["form"].errors[
        "registration_number"][0]
    registration.refresh_from_db()
    assert registration.registration_number != taken
    # The same number on another register is another registration.
    services.practitioner_register(
        membership=colleague, profession="Physiotherapist", register="other", registration_number=taken,
        expires_on=None, actor=world.partner,
    )


def test_the_same_person_keeps_their_number_at_a_second_organisation_and_on_renewal(joint):
    world = joint
    registration = world.nurse_membership.practitioner_registration
    # The Eastvale nurse also works bank shifts for Acme, as a mentor there.
    from programmes import services as programme_services

    programme_services.membership_grant(user=world.nurse, organisation=world.organisation, role=Role.MENTOR)
    at_acme = membership(world.nurse, world.organisation, Role.MENTOR)
    second = services.practitioner_register(
        membership=at_acme, profession="District nurse", register="nmc",
        registration_number=registration.registration_number,
        expires_on=registration.expires_on, actor=world.person(Role.TRAINING_LEAD),
    )
    assert second.registration_number == registration.registration_number
    renewed = services.practitioner_register(
        membership=world.nurse_membership, profession="District nurse", register="nmc",
        registration_number=registration.registration_number.lower(),
        expires_on=registration.expires_on + timedelta(days=365), actor=world.partner,
    )
    assert renewed.pk == registration.pk


def test_a_lead_cannot_record_or_change_another_organisations_staff(client, joint):
    world = joint
    with pytest.raises(PermissionDenied):
        services.practitioner_register(
            membership=world.ward_nurse_membership, profession="Nurse", register="nmc",
            registration_number="12A0001E", expires_on=timezone.localdate() + timedelta(days=5),
            actor=world.partner,
        )
    client.force_login(world.partner)
    acme_registration = world.ward_nurse_membership.practitioner_registration
    url = reverse("delegation:registration_edit", kwargs={"pk": acme_registration.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"register": "nmc"}).status_code == 404
    form = client.get(reverse("delegation:registration_create"))
    assert f'value="{world.ward_nurse_membership.pk}"' not in form.content.decode()
    # Posting another organisation's person by hand is refused next to the field.
    response = client.post(reverse("delegation:registration_create"), {
        "person": world.ward_nurse_membership.pk, "register": "nmc", "registration_number": "12A0001E",
        "profession": "Nurse", **_date("expires_on", timezone.localdate() + timedelta(days=5)),
    })
    assert "Choose the person from the list" in response.context["form"].errors["person"][0]


def test_the_lead_updates_the_expiry_on_renewal(client, joint):
    world = joint
    registration = world.nurse_membership.practitioner_registration
    renewed = timezone.localdate() + timedelta(days=365)
    client.force_login(world.partner)
    response = client.post(reverse("delegation:registration_edit", kwargs={"pk": registration.pk}), {
        "register": "nmc", "registration_number": registration.registration_number,
        "profession": "District nurse", **_date("expires_on", renewed),
    })
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.expires_on == renewed


def test_an_expired_registration_no_longer_lets_them_assess_or_delegate(client, joint):
    world = joint
    assert selectors.registration_of(world.nurse_membership) is not None
    PractitionerRegistration.objects.filter(membership=world.nurse_membership).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    assert selectors.registration_of(world.nurse_membership) is None
    client.force_login(world.nurse)
    assert client.get(reverse("delegation:create")).status_code == 403
    listing = client.get(reverse("delegation:registrations"))
    assert listing.status_code == 403  # a lead's page
    client.force_login(world.partner)
    assert "Expired" in client.get(reverse("delegation:registrations")).content.decode()


def test_the_people_page_leads_to_the_registrations(client_as, world):
    page = client_as(Role.TRAINING_LEAD).get(reverse("programmes:people")).content.decode()
    assert reverse("delegation:registrations") in page


QUERIES = 5


def test_the_registration_list_costs_the_same_queries_at_5_and_50(client, joint, django_assert_num_queries):
    world = joint
    client.force_login(world.partner)
    client.get(reverse("delegation:registrations"))  # warm the session

    def fill(n):
        for i in range(PractitionerRegistration.objects.filter(
            membership__organisation=world.partner_organisation
        ).count(), n):
            person = make_person(world.partner_organisation, Role.MENTOR, f"nurse{i}.eastvale")
            services.practitioner_register(
                membership=membership(person, world.partner_organisation, Role.MENTOR),
                profession="District nurse", register="nmc", registration_number=f"34B{i:04d}E",
                expires_on=timezone.localdate() + timedelta(days=30), actor=world.partner,
            )

    # session, user, acting membership, the registrations (with person), anyone left to add.
    for n in (5, 50):
        fill(n)
        with django_assert_num_queries(QUERIES):
            assert client.get(reverse("delegation:registrations")).status_code == 200


def test_the_admin_keeps_the_number_as_the_service_does_and_refuses_another_persons(joint):
    from delegation.admin import PractitionerRegistrationAdminForm

    world = joint
    taken = world.nurse_membership.practitioner_registration.registration_number
    colleague = membership(make_person(world.partner_organisation, Role.MANAGER, "manager.eastvale"),
                           world.partner_organisation, Role.MANAGER)
    data = {"membership": colleague.pk, "profession": "District nurse", "register": "nmc"}
    refused = PractitionerRegistrationAdminForm({**data, "registration_number": taken.lower()})
    assert not refused.is_valid()
    assert refused.errors["registration_number"][0].startswith("This NMC PIN is already recorded for")
    kept = PractitionerRegistrationAdminForm({**data, "registration_number": "98 z7654y"})
    assert kept.is_valid(), kept.errors
    assert kept.save().registration_number == "98Z7654Y"
