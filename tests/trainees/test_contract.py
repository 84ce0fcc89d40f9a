"""Signing the learning contract: each of the four parties by the right person only; changing
its wording withdraws the signatures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import Role
from trainees import services
from trainees.models import ContractSignature

pytestmark = pytest.mark.django_db

PARTY_OF = {
    Role.TRAINEE: "trainee", Role.MENTOR: "mentor", Role.MANAGER: "manager", Role.LECTURER: "lecturer",
}


def _sign(client, world, party, **extra):
    return client.post(
        reverse("trainees:contract_sign", kwargs={"pk": world.enrolment.pk}),
        {"party": party, "contract_version": world.enrolment.contract.version, **extra},
    )


@pytest.mark.parametrize("role", list(PARTY_OF))
def test_each_party_signs_as_themselves(world, client_as, role):
    client = client_as(role)
    page = client.get(reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk}))
    assert [p["value"] for p in page.context["sign_as"]] == [PARTY_OF[role]]
    response = _sign(client, world, PARTY_OF[role])
    assert response.status_code == 302
    signature = ContractSignature.objects.get(contract=world.enrolment.contract)
    assert (signature.party, signature.signed_by) == (PARTY_OF[role], world.person(role))


@pytest.mark.parametrize("role", list(PARTY_OF))
def test_nobody_signs_as_another_party(world, client_as, role):
    client = client_as(role)
    for party in PARTY_OF.values():
        if party != PARTY_OF[role]:
            _sign(client, world, party)
    assert not ContractSignature.objects.exists()


def test_a_manager_cannot_sign_for_a_trainee_they_do_not_manage(world, client_as):
    from .helpers import add_trainee

    _, other_enrolment = add_trainee(world, mentor=world.person(Role.MENTOR))
    # The mentor mentors them, the manager does not manage them (so cannot even see them).
    response = client_as(Role.MANAGER).post(
        reverse("trainees:contract_sign", kwargs={"pk": other_enrolment.pk}),
        {"party": "manager", "contract_version": 1},
    )
    assert response.status_code == 404
    assert not ContractSignature.objects.exists()


def test_leads_and_planners_do_not_sign(world, client_as):
    for role in (Role.TRAINING_LEAD, Role.PLANNER):
        assert _sign(client_as(role), world, "manager").status_code == 403
    assert not ContractSignature.objects.exists()


def test_signing_twice_is_refused_with_a_message(world, client_as):
    client = client_as(Role.MENTOR)
    _sign(client, world, "mentor")
    response = _sign(client, world, "mentor", next=reverse("trainees:my_mentees"))
    assert response["Location"] == reverse("trainees:my_mentees")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "The mentor has already signed." in messages
    assert ContractSignature.objects.count() == 1


def test_signing_wording_that_changed_since_it_was_read_is_refused(world, client_as):
    contract = world.enrolment.contract
    services.contract_update(contract=contract, actor=world.person(Role.TRAINING_LEAD),
                             trainee_expectations="New wording.")
    response = client_as(Role.TRAINEE).post(
        reverse("trainees:contract_sign", kwargs={"pk": world.enrolment.pk}),
        {"party": "trainee", "contract_version": 1},
    )
    assert response.status_code == 302
    assert not ContractSignature.objects.exists()


def test_the_page_lists_who_has_not_signed(world, client_as):
    _sign(client_as(Role.MANAGER), world, "manager")
    page = client_as(Role.TRAINEE).get(
        reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk})
    )
    assert [p["label"] for p in page.context["unsigned"]] == ["Trainee", "Mentor", "Lecturer"]
    html = page.content.decode()
    assert "Not signed yet by 3 of 4" in html
    assert "Sign as trainee" in html
    assert world.person(Role.MANAGER).get_full_name() in html


def test_changing_the_wording_warns_then_withdraws_the_signatures(world, client_as):
    _sign(client_as(Role.MANAGER), world, "manager")
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:contract_edit", kwargs={"pk": world.enrolment.pk})
    page = client.get(url)
    assert "Changing the wording withdraws the signatures" in page.content.decode()
    data = {**page.context["form"].initial, "manager_expectations": "Release the trainee weekly."}
    response = client.post(url, data)
    assert response.status_code == 302
    contract = world.enrolment.contract
    contract.refresh_from_db()
    assert contract.manager_expectations == "Release the trainee weekly."
    assert contract.version == 2
    assert not contract.signatures.exists()


def test_changing_the_contract_from_a_stale_page_is_refused(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:contract_edit", kwargs={"pk": world.enrolment.pk})
    data = dict(client.get(url).context["form"].initial)
    services.contract_update(contract=world.enrolment.contract, actor=world.person(Role.TRAINING_LEAD),
                             mentor_expectations="Changed by someone else.")
    response = client.post(url, {**data, "trainee_expectations": "Mine."})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith("Someone else changed this contract")
