"""Partnerships by consent: asked by exact name or code, accepted or declined by the partner's
training lead, ended by either side; only an accepted partnership opens anything, and only
what it states."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programmes import selectors as programme_selectors
from programmes import services
from programmes.models import Membership, Organisation, Partnership, Role

from ..conftest import make_person


@pytest.fixture
def eastvale(world):
    org = services.organisation_ensure(
        slug="eastvale", name="Eastvale Community Health NHS Trust", kind=Organisation.Kind.NHS_TRUST
    )
    lead = make_person(org, Role.TRAINING_LEAD, "lead.eastvale")
    lecturer = make_person(org, Role.LECTURER, "lecturer.eastvale")
    return org, lead, lecturer


def _membership(user, org, role=Role.TRAINING_LEAD):
    return Membership.objects.select_related("user").get(user=user, organisation=org, role=role)


def _propose(client, world, text, purpose="District nurses assess insulin administration."):
    return client.post(
        reverse("delegation:programme_partnerships", kwargs={"pk": world.programme.pk}),
        {"organisation": text, "purpose": purpose, "shares_cohorts": "on"},
    )


def test_a_lead_asks_by_exact_code_and_the_partner_sees_nothing_until_it_accepts(
    client, world, eastvale, django_capture_on_commit_callbacks
):
    org, partner_lead, _ = eastvale
    client.force_login(world.person(Role.TRAINING_LEAD))
    with django_capture_on_commit_callbacks(execute=True):
        response = _propose(client, world, "eastvale")
    assert response.status_code == 302
    partnership = Partnership.objects.get(programme=world.programme, organisation=org)
    assert partnership.status == Partnership.Status.PROPOSED

    # Not yet accepted: nothing for either side's people beyond their own.
    partner = _membership(partner_lead, org)
    assert not programme_selectors.programmes_visible_to(membership=partner).filter(pk=world.programme.pk).exists()
    assert not programme_selectors.cohorts_visible_to(membership=partner).filter(programme=world.programme).exists()
    acme = _membership(world.person(Role.TRAINING_LEAD), world.organisation)
    assert org not in programme_selectors.organisations_visible_to(membership=acme)
    client.force_login(partner_lead)
    assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 404
    # ... and the API does not name an organisation that has not accepted.
    client.force_login(world.person(Role.TRAINING_LEAD))
    api = client.get(f"/api/v1/programmes/{world.programme.pk}/")
    assert api.status_code == 200 and api.json()["partners"] == []
    organisations = client.get("/api/v1/organisations/").json()
    names = [o["name"] for o in organisations.get("results", organisations)]
    assert "Eastvale Community Health NHS Trust" not in names

    # The partner's lead is told, and accepts.
    assert any("Eastvale" in m.body and "lead.eastvale@example.org" in m.to for m in mail.outbox)
    client.force_login(partner_lead)
    page = client.get(reverse("delegation:partnerships"))
    assert world.programme.title in page.content.decode()
    response = client.post(reverse("delegation:partnership_accept", kwargs={"pk": partnership.pk}))
    assert response.status_code == 302
    assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 200
    client.force_login(world.person(Role.TRAINING_LEAD))
    assert client.get(f"/api/v1/programmes/{world.programme.pk}/").json()["partners"] == [org.pk]


def test_a_name_must_match_exactly_and_no_list_of_tenants_is_shown(client, world, eastvale):
    client.force_login(world.person(Role.TRAINING_LEAD))
    page = client.get(reverse("delegation:programme_partnerships", kwargs={"pk": world.programme.pk}))
    assert "Eastvale" not in page.content.decode() and "Other Health Board" not in page.content.decode()
    response = _propose(client, world, "Eastvale Community")  # a prefix, not the name
    assert response.status_code == 200
    assert "No organisation in Ladder has exactly that name or code" in response.content.decode()
    assert not Partnership.objects.exists()
    response = _propose(client, world, "eastvale community health nhs trust")  # the name, any case
    assert response.status_code == 302


def test_asking_twice_or_asking_yourself_is_refused_with_a_reason(world, eastvale):
    org, _, _ = eastvale
    lead = world.person(Role.TRAINING_LEAD)
    services.partnership_propose(programme=world.programme, organisation=org, actor=lead)
    with pytest.raises(ValidationError, match="already been asked"):
        services.partnership_propose(programme=world.programme, organisation=org, actor=lead)
    with pytest.raises(ValidationError, match="cannot partner with itself"):
        services.partnership_propose(programme=world.programme, organisation=world.organisation, actor=lead)


def test_the_lead_side_cannot_accept_its_own_request(client, world, eastvale):
    org, _, _ = eastvale
    partnership = services.partnership_propose(
        programme=world.programme, organisation=org, actor=world.person(Role.TRAINING_LEAD)
    )
    client.force_login(world.person(Role.TRAINING_LEAD))
    response = client.post(reverse("delegation:partnership_accept", kwargs={"pk": partnership.pk}))
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.PROPOSED


def test_a_declined_request_gives_nothing(client, world, eastvale):
    org, partner_lead, _ = eastvale
    partnership = services.partnership_propose(
        programme=world.programme, organisation=org, actor=world.person(Role.TRAINING_LEAD)
    )
    client.force_login(partner_lead)
    client.post(reverse("delegation:partnership_decline", kwargs={"pk": partnership.pk}))
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.DECLINED
    assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 404


@pytest.mark.parametrize("side", ["lead", "partner"])
def test_ending_it_removes_access_at_once(client, world, eastvale, side):
    org, partner_lead, lecturer = eastvale
    partnership = services.partnership_accept(
        partnership=services.partnership_propose(
            programme=world.programme, organisation=org, actor=world.person(Role.TRAINING_LEAD)
        ),
        actor=partner_lead,
    )
    services.cohort_update(cohort=world.cohort, lecturers=[world.person(Role.LECTURER), lecturer])
    client.force_login(lecturer)
    assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 200
    assert client.get(reverse("trainees:detail", kwargs={"pk": world.trainee.pk})).status_code == 200

    ender = world.person(Role.TRAINING_LEAD) if side == "lead" else partner_lead
    client.force_login(ender)
    response = client.post(
        reverse("delegation:partnership_end", kwargs={"pk": partnership.pk}), {"reason": "Pilot over"}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ENDED and partnership.end_reason == "Pilot over"

    client.force_login(lecturer)  # the very next request
    assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 404
    assert client.get(reverse("trainees:detail", kwargs={"pk": world.trainee.pk})).status_code == 404
    client.force_login(partner_lead)
    assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 404


def test_a_reason_too_long_to_keep_ends_no_partnership_and_is_refused_next_to_the_field(client, world, eastvale):
    org, partner_lead, _ = eastvale
    partnership = services.partnership_accept(
        partnership=services.partnership_propose(
            programme=world.programme, organisation=org, actor=world.person(Role.TRAINING_LEAD)
        ),
        actor=partner_lead,
    )
    client.force_login(partner_lead)
    response = client.post(
        reverse("delegation:partnership_end", kwargs={"pk": partnership.pk}), {"reason": "x" * 1001}
    )
    assert response.status_code == 200
    assert response.context["end_form"].errors["reason"] == ["Give the reason in 1,000 characters or fewer"]
    page = response.content.decode()
    assert "<title>Error: " in page and "There is a problem" in page
    assert 'data-testid="end-partnership" open' in page
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACCEPTED and partnership.end_reason == ""


def test_a_partner_sees_the_programme_and_cohorts_but_not_the_lead_organisations_staff(client, world, eastvale):
    org, partner_lead, _ = eastvale
    services.partnership_accept(
        partnership=services.partnership_propose(
            programme=world.programme, organisation=org, actor=world.person(Role.TRAINING_LEAD)
        ),
        actor=partner_lead,
    )
    client.force_login(partner_lead)
    assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 200
    assert client.get(reverse("programmes:cohort_edit", kwargs={"pk": world.cohort.pk})).status_code == 403
    # Acme's trainees, people and evidence stay Acme's.
    assert client.get(reverse("trainees:detail", kwargs={"pk": world.trainee.pk})).status_code == 404
    people = client.get(reverse("programmes:people")).content.decode()
    assert "Acme" not in people
    trainees = client.get(reverse("trainees:list")).content.decode()
    assert "Sam" not in trainees


def test_a_partnership_that_does_not_share_cohorts_shows_the_programme_only(world, eastvale):
    org, partner_lead, _ = eastvale
    services.partnership_accept(
        partnership=services.partnership_propose(
            programme=world.programme, organisation=org, actor=world.person(Role.TRAINING_LEAD),
            shares_cohorts=False,
        ),
        actor=partner_lead,
    )
    partner = _membership(partner_lead, org)
    assert programme_selectors.programmes_visible_to(membership=partner).filter(pk=world.programme.pk).exists()
    assert not programme_selectors.cohorts_visible_to(membership=partner).exists()


def test_every_step_is_in_the_audit_trail_with_who_did_it(client, world, eastvale):
    org, partner_lead, _ = eastvale
    partnership = services.partnership_accept(
        partnership=services.partnership_propose(
            programme=world.programme, organisation=org, actor=world.person(Role.TRAINING_LEAD)
        ),
        actor=partner_lead,
    )
    from core.audit import history_for

    actors = [e.actor for e in history_for(partnership)]
    assert actors == [partner_lead, world.person(Role.TRAINING_LEAD)]


@pytest.mark.parametrize("how", ["ended", "declined"])
def test_what_an_ended_or_declined_partnership_named_cannot_be_changed(client, world, how):
    from delegation import services as delegation_services

    from .factories import add_partner

    world = add_partner(world, with_delegation=False)
    lead = world.person(Role.TRAINING_LEAD)
    partnership = world.partnership
    if how == "ended":
        delegation_services.partnership_end(
            partnership=partnership, membership=_membership(lead, world.organisation), reason="Pilot over"
        )
        said = "This partnership ended on "
    else:
        # Named while asked (allowed), then the partner declines.
        partnership = services.partnership_propose(
            programme=world.programme, organisation=services.organisation_ensure(
                slug="elm-house", name="Elm House Nursing Home", kind=Organisation.Kind.CARE_PROVIDER
            ), actor=lead,
        )
        delegation_services.partnership_competencies_set(
            partnership=partnership, competencies=[world.insulin], actor=lead
        )
        partnership = services.partnership_decline(partnership=partnership, actor=None)
        said = "This partnership was declined"
    url = reverse("delegation:partnership_competencies", kwargs={"pk": partnership.pk})

    with pytest.raises(PermissionDenied, match=said):
        delegation_services.partnership_competencies_set(
            partnership=partnership, competencies=[world.insulin, world.blood_glucose], actor=lead
        )
    client.force_login(lead)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert said in html and "Insulin administration" in html
    assert 'data-testid="competencies-form"' not in html and "<form" not in html.split("<main")[1]
    detail = client.get(reverse("delegation:partnership_detail", kwargs={"pk": partnership.pk})).content.decode()
    assert url not in detail  # no way offered to change it
    refused = client.post(url, {"competencies": [world.insulin.pk, world.blood_glucose.pk]})
    assert refused.status_code == 403 and said in refused.content.decode()
    named = partnership.assessable_competencies.values_list("competency_id", flat=True)
    assert list(named) == [world.insulin.pk]
