"""Mappings: the crosswalk between frameworks, shown on both sides."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competencies.models import Competency, Mapping
from competencies.profiles import selectors, services
from programmes.models import Membership, Role

from ..api.conftest import client_with_token, token_for


def _membership(world, role=Role.TRAINING_LEAD):
    return Membership.objects.get(user=world.person(role), organisation=world.organisation)


def _map(world, lead, source, target, **kwargs):
    return services.mapping_create(
        organisation=world.organisation,
        source=source,
        target=target,
        strength=kwargs.pop("strength", "equivalent"),
        note=kwargs.pop("note", ""),
        actor=lead,
    )


def test_a_lead_maps_an_own_competency_to_a_national_one(world, frameworks, lead):
    own, national = frameworks.c(frameworks.own, "IAP-2"), frameworks.c(frameworks.national, "CC5")
    mapping = _map(world, lead, own, national, strength="partial", note="Person-centred activity")
    assert mapping.organisation == world.organisation
    assert mapping.created_by == lead
    assert mapping.get_strength_display() == "Partly covers"


def test_mapping_within_one_framework_is_refused(world, frameworks, lead):
    with pytest.raises(ValidationError, match="another framework"):
        _map(
            world,
            lead,
            frameworks.c(frameworks.own, "IAP-1"),
            frameworks.c(frameworks.own, "IAP-2"),
        )
    assert not Mapping.objects.exists()


def test_mapping_a_competency_to_itself_is_refused(world, frameworks, lead):
    own = frameworks.c(frameworks.own, "IAP-1")
    with pytest.raises(ValidationError, match="itself"):
        _map(world, lead, own, own)


def test_a_duplicate_mapping_is_refused_either_way_round(world, frameworks, lead):
    own, national = frameworks.c(frameworks.own, "IAP-1"), frameworks.c(frameworks.national, "CC5")
    _map(world, lead, own, national)
    with pytest.raises(ValidationError, match="already mapped"):
        _map(world, lead, own, national)
    with pytest.raises(ValidationError, match="already mapped"):
        _map(world, lead, national, own)
    assert Mapping.objects.count() == 1


def test_a_pair_mapped_nationally_is_not_mapped_again_by_an_organisation(world, frameworks, lead):
    cc6, c1 = (
        frameworks.c(frameworks.national, "CC6"),
        frameworks.c(frameworks.national_other, "C1"),
    )
    services.mapping_create(
        organisation=None, source=cc6, target=c1, strength="equivalent", note="", actor=None
    )
    with pytest.raises(ValidationError, match="already mapped"):
        _map(world, lead, c1, cc6)


def test_another_organisations_competency_cannot_be_mapped(world, frameworks, lead):
    with pytest.raises(ValidationError, match="not in a national framework"):
        _map(
            world,
            lead,
            frameworks.c(frameworks.own, "IAP-1"),
            frameworks.c(frameworks.others, "OT-1"),
        )


def test_a_national_mapping_joins_only_national_competencies(frameworks):
    with pytest.raises(ValidationError):
        services.mapping_create(
            organisation=None,
            source=frameworks.c(frameworks.own, "IAP-1"),
            target=frameworks.c(frameworks.national, "CC5"),
            strength="equivalent",
            note="",
        )


def test_a_bad_strength_is_refused(world, frameworks, lead):
    with pytest.raises(ValidationError) as error:
        _map(
            world,
            lead,
            frameworks.c(frameworks.own, "IAP-1"),
            frameworks.c(frameworks.national, "CC5"),
            strength="strong",
        )
    assert "strength" in error.value.message_dict


def test_mappings_show_on_both_sides(world, frameworks, lead):
    own, national = frameworks.c(frameworks.own, "IAP-2"), frameworks.c(frameworks.national, "CC5")
    _map(world, lead, own, national)
    membership = _membership(world, Role.MENTOR)
    [from_own] = selectors.mappings_for(own, membership)
    [from_national] = selectors.mappings_for(national, membership)
    assert from_own.other == national and from_own.outgoing
    assert from_national.other == own and not from_national.outgoing
    assert not from_own.can_remove  # a mentor reads, only leads remove


def test_another_organisations_mappings_are_not_shown(world, frameworks):
    national, ksf = (
        frameworks.c(frameworks.national, "CC5"),
        frameworks.c(frameworks.national_other, "HWB4"),
    )
    services.mapping_create(
        organisation=world.other_organisation,
        source=ksf,
        target=national,
        strength="equivalent",
        note="",
        actor=world.outsider,
    )
    assert selectors.mappings_for(national, _membership(world)) == []


def test_the_page_shows_mappings_on_both_sides(client_as, world, frameworks, lead):
    own, national = frameworks.c(frameworks.own, "IAP-2"), frameworks.c(frameworks.national, "CC5")
    _map(world, lead, own, national, note="Activities planned with the person")
    client = client_as(Role.MENTOR)
    page = client.get(reverse("profiles:mappings", kwargs={"pk": national.pk})).content.decode()
    assert "IAP-2 Therapeutic activities" in page and "Activities planned with the person" in page
    assert "Add a mapping" not in page
    page = client.get(reverse("profiles:mappings", kwargs={"pk": own.pk})).content.decode()
    assert "CC5 Work in a person-centred way" in page


def test_a_lead_adds_a_mapping_through_the_page(client_as, world, frameworks):
    own, national = frameworks.c(frameworks.own, "IAP-1"), frameworks.c(frameworks.national, "CC13")
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("profiles:mappings", kwargs={"pk": own.pk})
    step1 = client.get(url)
    assert "Which framework is the competency it maps to in?" in step1.content.decode()
    assert "Acme IAP competencies" not in step1.context["pick"].fields["framework"].widget.render(
        "f", None
    )
    step2 = client.get(url, {"framework": frameworks.national.pk})
    assert "CC13 Health and safety" in step2.content.decode()
    response = client.post(
        f"{url}?framework={frameworks.national.pk}",
        {"target": national.pk, "strength": "partial", "note": "Ward safety checks"},
    )
    assert response.status_code == 302
    mapping = Mapping.objects.get()
    assert (mapping.source, mapping.target, mapping.strength) == (own, national, "partial")
    assert mapping.created_by == world.person(Role.TRAINING_LEAD)

    again = client.post(
        f"{url}?framework={frameworks.national.pk}",
        {"target": national.pk, "strength": "equivalent"},
    )
    assert again.status_code == 200
    assert "already mapped" in again.content.decode()


def test_a_mentor_cannot_post_a_mapping(client_as, frameworks):
    own, national = frameworks.c(frameworks.own, "IAP-1"), frameworks.c(frameworks.national, "CC13")
    url = reverse("profiles:mappings", kwargs={"pk": own.pk})
    response = client_as(Role.MENTOR).post(
        f"{url}?framework={frameworks.national.pk}",
        {"target": national.pk, "strength": "equivalent"},
    )
    assert response.status_code == 403
    assert not Mapping.objects.exists()


def test_a_framework_of_another_organisation_cannot_be_picked(client_as, frameworks):
    own = frameworks.c(frameworks.own, "IAP-1")
    url = reverse("profiles:mappings", kwargs={"pk": own.pk})
    response = client_as(Role.TRAINING_LEAD).get(url, {"framework": frameworks.others.pk})
    assert response.status_code == 200
    assert "Choose one of the frameworks in the list" in response.content.decode()


def test_a_lead_removes_their_organisations_mapping_but_not_a_national_one(
    client_as, world, frameworks, lead
):
    own, national = frameworks.c(frameworks.own, "IAP-1"), frameworks.c(frameworks.national, "CC5")
    mapping = _map(world, lead, own, national)
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("profiles:mapping_remove", kwargs={"pk": mapping.pk})
    assert "Are you sure" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Mapping.objects.exists()

    cc6, c1 = (
        frameworks.c(frameworks.national, "CC6"),
        frameworks.c(frameworks.national_other, "C1"),
    )
    national_mapping = services.mapping_create(
        organisation=None, source=cc6, target=c1, strength="equivalent", note=""
    )
    assert (
        client.post(
            reverse("profiles:mapping_remove", kwargs={"pk": national_mapping.pk})
        ).status_code
        == 403
    )
    assert Mapping.objects.filter(pk=national_mapping.pk).exists()


def test_the_outsider_cannot_remove_acmes_mapping(client_as, world, frameworks, lead):
    mapping = _map(
        world, lead, frameworks.c(frameworks.own, "IAP-1"), frameworks.c(frameworks.national, "CC5")
    )
    response = client_as("outsider").post(
        reverse("profiles:mapping_remove", kwargs={"pk": mapping.pk})
    )
    assert response.status_code == 404
    assert Mapping.objects.exists()


def test_posting_a_mapping_without_choosing_a_framework_asks_for_one(client_as, frameworks):
    own = frameworks.c(frameworks.own, "IAP-1")
    url = reverse("profiles:mappings", kwargs={"pk": own.pk})
    response = client_as(Role.TRAINING_LEAD).post(url, {"target": "1"})
    assert response.status_code == 200
    assert "Choose a framework" in response.content.decode()
    assert not Mapping.objects.exists()


@pytest.mark.parametrize(
    "query", ["?framework=abc", "?framework=", "?framework=99999&programme=xyz"]
)
def test_nonsense_in_the_query_string_is_not_an_error(client_as, frameworks, query):
    own = frameworks.c(frameworks.own, "IAP-1")
    url = reverse("profiles:mappings", kwargs={"pk": own.pk}) + query
    response = client_as(Role.TRAINING_LEAD).get(url)

    assert response.status_code == 200
    # The competency's page, with no framework taken from the nonsense: the lead is asked to
    # choose one again, and no competency list is offered.
    assert response.context["competency"] == own
    assert response.context["framework"] is None and response.context["form"] is None
    assert "framework" in response.context["pick"].fields
    assert response.context["back_programme"] is None
    assert "Which framework is the competency it maps to in?" in response.content.decode()


def test_a_ksf_level_is_named_with_its_dimension_on_the_mapping_pages_the_profile_and_the_api(
    client_as, world, frameworks, lead
):
    level = Competency.objects.create(
        framework=frameworks.national_other, id_number="KSF-C3-L2", short_name="Level 2", sort_order=9
    )
    own = frameworks.c(frameworks.own, "IAP-4")
    mapping = _map(world, lead, own, level)
    named = "KSF-C3-L2 Health, safety and security: Level 2"
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(reverse("profiles:mappings", kwargs={"pk": own.pk})).content.decode()
    assert page.count(named) == 2  # the link and the remove link's hidden words
    remove = reverse("profiles:mapping_remove", kwargs={"pk": mapping.pk})
    page = client.get(f"{remove}?from={level.pk}").content.decode()
    assert page.count(named) == 2  # the back link and the "To" row
    add = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    assert named in client.get(add, {"framework": frameworks.national_other.pk}).content.decode()
    got = client_with_token(token_for(lead)).get(f"/api/v1/competencies/{level.pk}/").json()
    assert (got["short_name"], got["name"]) == ("Level 2", "Health, safety and security: Level 2")
