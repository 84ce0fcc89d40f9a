"""GET and PATCH /api/v1/programmes/{id}/case-study/: the case study's words through the API,
refused when stale (409, as the editor refuses), for the people the pages allow."""

from __future__ import annotations

import pytest

from programmes.models import Role
from reports.models import CaseStudyNarrative

LEAD, PLANNER, MANAGER = Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER


def _url(programme) -> str:
    return f"/api/v1/programmes/{programme.pk}/case-study/"


@pytest.mark.django_db
def test_a_new_programmes_case_study_reads_empty_at_version_one(api_as, world):
    body = api_as(LEAD).get(_url(world.programme)).json()
    assert body["programme"] == world.programme.pk
    assert body["version"] == 1
    assert body["tips_for_others"] == "" and body["updated_at"] is None
    assert not CaseStudyNarrative.objects.filter(programme=world.programme).exists()  # a GET writes nothing


@pytest.mark.django_db
def test_the_lead_writes_the_words_and_the_planner_reads_them(api_as, world):
    lead = api_as(LEAD)
    saved = lead.patch(_url(world.programme), {
        "version": 1,
        "what_we_did_and_why": "  Physical health checks were missed on the wards.  ",
        "tips_for_others": "Start with the gaps.\nInvolve managers early.",
    }, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2
    assert saved.json()["updated_by"] == "Training Lead Acme"

    read = api_as(PLANNER).get(_url(world.programme)).json()
    assert read["what_we_did_and_why"] == "Physical health checks were missed on the wards."
    assert read["tips_for_others"] == "Start with the gaps.\nInvolve managers early."
    assert read["version"] == 2

    # Fields left out keep their words.
    again = lead.patch(_url(world.programme), {"version": 2, "contact_details": "Jo Bloggs"}, format="json")
    assert again.json()["tips_for_others"] == "Start with the gaps.\nInvolve managers early."
    narrative = CaseStudyNarrative.objects.get(programme=world.programme)
    assert (narrative.contact_details, narrative.version, narrative.updated_by) == (
        "Jo Bloggs", 3, world.person(LEAD))


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_409_and_loses_nobodys_words(api_as, world):
    lead = api_as(LEAD)
    assert lead.patch(_url(world.programme), {"version": 1, "how_we_did_it": "First words"},
                      format="json").status_code == 200
    stale = lead.patch(_url(world.programme), {"version": 1, "how_we_did_it": "Overwriting"}, format="json")
    assert stale.status_code == 409
    assert "Someone else changed this case study" in stale.json()["detail"]
    assert stale.json()["version"] == 2
    assert CaseStudyNarrative.objects.get(programme=world.programme).how_we_did_it == "First words"


@pytest.mark.django_db
def test_a_patch_without_the_version_read_is_refused(api_as, world):
    answer = api_as(LEAD).patch(_url(world.programme), {"how_we_did_it": "Words"}, format="json")
    assert answer.status_code == 400
    assert "version" in answer.json()
    assert not CaseStudyNarrative.objects.filter(programme=world.programme).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    {"version": 1, "tips_for_others": "x" * 20_001},
    {"version": 1, "tips_for_others": "null\x00byte"},
    {"version": 0, "tips_for_others": "Words"},
    {"version": "one", "tips_for_others": "Words"},
    {"version": 1, "tips_for_others": ["a", "list"]},
])
def test_bad_input_gets_400_with_the_field_named(api_as, world, body):
    answer = api_as(LEAD).patch(_url(world.programme), body, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) & {"version", "tips_for_others"}


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "method", "status"), [
    (PLANNER, "patch", 403),  # planners read and produce the case study; leads write it
    (MANAGER, "get", 403),
    (MANAGER, "patch", 403),
    ("outsider", "get", 404),
    ("outsider", "patch", 404),
])
def test_only_the_lead_organisations_leads_write_and_its_leads_and_planners_read(api_as, world, who, method, status):
    answer = getattr(api_as(who), method)(_url(world.programme), {"version": 1, "tips_for_others": "Mine"},
                                          format="json")
    assert answer.status_code == status
    assert not CaseStudyNarrative.objects.filter(programme=world.programme).exists()


@pytest.mark.django_db
def test_the_operations_are_in_the_openapi_schema(api_as, world):
    schema = api_as(LEAD).get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/programmes/{id}/case-study/"]
    assert set(operations) >= {"get", "patch"}
    assert "409" in operations["patch"]["responses"]
    fields = schema["components"]["schemas"]["CaseStudyNarrative"]["properties"]
    assert {"what_we_did_and_why", "tips_for_others", "contact_details", "version"} <= set(fields)


@pytest.mark.django_db
def test_front_matter_figures_and_consented_quotes_are_written_through_the_api(api_as, world):
    lead = api_as(LEAD)
    unconsented = lead.patch(_url(world.programme), {
        "version": 1, "service_user_quotes": "They listened to me - a service user on Larch Ward",
    }, format="json")
    assert unconsented.status_code == 400
    assert "service_user_quotes_consented" in unconsented.json()

    saved = lead.patch(_url(world.programme), {
        "version": 1, "subtitle": "Growing our own", "authors": "A. Lead, B. Planner",
        "publication_date": "2026-11-30", "cost_per_trainee": "2150.50", "backfill_hours": "312.5",
        "service_user_quotes": "They listened to me - a service user on Larch Ward",
        "service_user_quotes_consented": True,
    }, format="json")
    assert saved.status_code == 200, saved.content
    narrative = CaseStudyNarrative.objects.get(programme=world.programme)
    assert narrative.quotes == [("They listened to me", "a service user on Larch Ward")]
    assert str(narrative.cost_per_trainee) == "2150.50" and str(narrative.publication_date) == "2026-11-30"
    assert saved.json()["subtitle"] == "Growing our own"

    negative = lead.patch(_url(world.programme), {"version": 2, "funding_amount": "-5"}, format="json")
    assert negative.status_code == 400 and "funding_amount" in negative.json()
