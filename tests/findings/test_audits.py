"""Audit tools, audit rounds and compliance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.findings import services
from evaluations.findings.defaults import PHYSICAL_HEALTH_AUDIT_CRITERIA, PHYSICAL_HEALTH_AUDIT_NAME
from evaluations.findings.selectors import audit_summary, compliance
from evaluations.models import AuditRound, AuditTool
from programmes import services as programme_services
from programmes.models import Role

from ..programmes.helpers import Page, date_parts
from . import factories as f


@pytest.fixture
def tool(world):
    return services.audit_tools_ensure_defaults(organisation=world.organisation)


def _record(world, tool, *, ward=None, stage="Start", sampled=10, met=(10, 8, 5, 7), held_on=date(2026, 2, 1)):
    return services.audit_round_record(
        programme=world.programme, tool=tool, clinical_area=ward or world.ward, stage_name=stage,
        held_on=held_on, records_sampled=sampled,
        results={c.pk: n for c, n in zip(tool.criteria.all(), met, strict=True)},
    )


def test_compliance_is_met_over_sampled_times_criteria():
    assert compliance(30, 10, 4) == Decimal("75.0")
    assert compliance(1, 3, 1) == Decimal("33.3")
    assert compliance(2, 3, 1) == Decimal("66.7")  # half up
    assert compliance(0, 0, 4) is None


def test_the_physical_health_audit_is_ensured_once_per_organisation(world, tool):
    again = services.audit_tools_ensure_defaults(organisation=world.organisation)
    assert again.pk == tool.pk
    assert [c.text for c in tool.criteria.all()] == list(PHYSICAL_HEALTH_AUDIT_CRITERIA)
    other = services.audit_tools_ensure_defaults(organisation=world.other_organisation)
    assert other.pk != tool.pk
    assert AuditTool.objects.filter(name=PHYSICAL_HEALTH_AUDIT_NAME).count() == 2


def test_a_round_records_results_and_compliance(world, tool):
    _record(world, tool)
    summary = audit_summary(programme=world.programme)
    (row,) = summary.rounds
    assert (row.met, row.possible, row.compliance) == (30, 40, Decimal("75.0"))


def test_met_must_not_exceed_sampled_and_every_problem_is_reported(world, tool):
    criteria = list(tool.criteria.all())
    with pytest.raises(ValidationError) as refused:
        _record(world, tool, sampled=5, met=(6, 5, 7, 0), held_on=timezone.localdate() + timedelta(days=1))
    errors = refused.value.message_dict
    assert errors[f"criterion_{criteria[0].pk}"] == [
        "Records meeting “Observations recorded” must be no more than the 5 records sampled"
    ]
    assert f"criterion_{criteria[1].pk}" not in errors
    assert f"criterion_{criteria[2].pk}" in errors
    assert errors["held_on"] == ["The date of the audit must be today or in the past"]
    assert not AuditRound.objects.exists()


def test_a_ward_outside_the_programme_is_refused(world, tool):
    elsewhere = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    with pytest.raises(ValidationError) as refused:
        _record(world, tool, ward=elsewhere)
    assert "clinical_area" in refused.value.message_dict


def test_the_trend_pools_rounds_by_ward_and_stage_in_plan_order(world, tool):
    oak = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    programme_services.programme_update(programme=world.programme, clinical_areas=[world.ward, oak])
    f.stage(world.cohort, name="Start", order=1)
    f.stage(world.cohort, name="Qualification", order=3)
    # Entered out of order: qualification first.
    _record(world, tool, stage="Qualification", met=(10, 10, 9, 9), held_on=date(2026, 3, 1))
    _record(world, tool, stage="Start", met=(10, 8, 5, 7))
    _record(world, tool, stage="start", sampled=10, met=(10, 10, 10, 10))  # same stage: pooled
    _record(world, tool, ward=oak, stage="Start", sampled=4, met=(2, 2, 2, 2))
    (trend,) = audit_summary(programme=world.programme).trends
    assert trend.stages == ["Start", "Qualification"]
    assert [(w.ward, w.values) for w in trend.wards] == [
        ("Larch Ward", [Decimal("87.5"), Decimal("95.0")]),  # (30+40)/80, 38/40
        ("Oak Ward", [Decimal("50.0"), None]),
    ]
    chart = trend.chart()
    assert "Larch Ward" in chart and "87.5%" in chart


def test_the_lead_records_a_round_through_the_form(client_as, world, tool):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("findings:audit_round_create", kwargs={"programme_pk": world.programme.pk})
    page = Page(client.get(url))  # one tool: straight to its form
    assert page.has(data_testid="audit-round-form")
    criteria = list(tool.criteria.all())
    data = {"clinical_area": world.ward.pk, "stage_name": "Mid-way", **date_parts("held_on", date(2026, 6, 3)),
            "records_sampled": "12"}
    bad = {**data, **{f"criterion_{c.pk}": "13" for c in criteria}}
    response = client.post(f"{url}?tool={tool.pk}", bad)
    assert Page(response).error_for(f"id_criterion_{criteria[0].pk}") == (
        "Records meeting “Observations recorded” must be no more than the 12 records sampled"
    )
    assert not AuditRound.objects.exists()
    good = {**data, **{f"criterion_{c.pk}": str(n) for c, n in zip(criteria, (12, 9, 6, 3), strict=True)}}
    response = client.post(f"{url}?tool={tool.pk}", good)
    assert response.status_code == 302
    page = Page(client.get(response["Location"]))
    (row,) = page.rows(data_testid="audit-round")
    assert row["Compliance"] == "62.5%" and row["Criteria met"] == "30 of 48"


def test_with_two_tools_the_lead_chooses_first(client_as, world, tool):
    services.audit_tool_create(organisation=world.organisation, name="Falls audit", criteria=["Risk assessed"])
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("findings:audit_round_create", kwargs={"programme_pk": world.programme.pk})
    assert Page(client.get(url)).has(data_testid="audit-tool-choice")
    page = Page(client.get(f"{url}?tool=999999"))
    assert page.error_for("id_tool") == "Choose one of your audit tools"
    falls = AuditTool.objects.get(name="Falls audit")
    assert Page(client.get(f"{url}?tool={falls.pk}")).has(data_testid="audit-round-form")


def test_another_organisations_tool_cannot_be_used(client_as, world, tool):
    theirs = services.audit_tools_ensure_defaults(organisation=world.other_organisation)
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("findings:audit_round_create", kwargs={"programme_pk": world.programme.pk})
    page = Page(client.get(f"{url}?tool={theirs.pk}"))
    assert page.has(data_testid="audit-tool-choice")  # not offered: back to choosing


def test_audit_tools_are_created_with_criteria_one_a_line(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("findings:audit_tools")
    response = client.post(
        url, {"name": "Falls audit", "description": "", "criteria": "Risk assessed\n\n Plan in place \n"}
    )
    assert response.status_code == 302
    tool = AuditTool.objects.get(name="Falls audit")
    assert [c.text for c in tool.criteria.all()] == ["Risk assessed", "Plan in place"]
    response = client.post(url, {"name": "falls AUDIT", "criteria": ""})
    page = Page(response)
    assert page.error_for("id_criteria") == "Enter at least one criterion, one a line"
    names = [n.text() for n in page.all(data_testid="audit-tool")]
    assert any(PHYSICAL_HEALTH_AUDIT_NAME in n for n in names)


def test_the_audits_page_keeps_a_constant_number_of_queries(client_as, world, tool):
    client = client_as(Role.PLANNER)
    url = reverse("findings:programme_audits", kwargs={"programme_pk": world.programme.pk})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(2):
        _record(world, tool, stage=f"Stage {n}", held_on=date(2026, 2, 1) + timedelta(days=n))
    client.get(url)  # the first request after signing in also saves the session (core.sessions)
    small = queries()
    for n in range(2, 20):
        _record(world, tool, stage=f"Stage {n % 5}", held_on=date(2026, 2, 1) + timedelta(days=n))
    # The request's 3 (session, user, memberships; the session is not saved: core.sessions),
    # the programme, the rounds with their sums, the plan's stage names and the cohorts' stage
    # names: 7.
    assert small == queries() == 7
