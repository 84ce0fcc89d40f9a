"""A partner organisation sees the programme, but not its evaluation data; an outsider sees
nothing of it."""

from __future__ import annotations

from django.urls import reverse

from programmes.models import Role

from ..conftest import make_person
from ..programmes.helpers import partner_organisation
from . import factories as f


def test_a_partners_lead_and_planner_are_refused_the_findings(client, world):
    university, _, partner_lead = partner_organisation(world)
    partner_planner = make_person(university, Role.PLANNER, "planner.westmoor")
    stage = f.stage(world.cohort)
    urls = [
        reverse("findings:themes", kwargs={"programme_pk": world.programme.pk}),
        reverse("findings:programme_audits", kwargs={"programme_pk": world.programme.pk}),
        reverse("findings:satisfaction", kwargs={"programme_pk": world.programme.pk}),
        reverse("findings:cohort_findings", kwargs={"cohort_pk": world.cohort.pk}),
        reverse("findings:stage_findings", kwargs={"stage_pk": stage.pk}),
        reverse("findings:coding", kwargs={"stage_pk": stage.pk}),
        reverse("findings:audit_round_create", kwargs={"programme_pk": world.programme.pk}),
    ]
    for person in (partner_lead, partner_planner):
        client.force_login(person)
        assert client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})).status_code == 200
        statuses = {url: client.get(url).status_code for url in urls}
        assert set(statuses.values()) == {403}, statuses


def test_the_outsider_cannot_reach_acmes_stage_theme_or_export(client_as, world):
    stage = f.stage(world.cohort)
    theme = f.theme(world.programme, "Pay")
    f.instrument(world.organisation)
    client = client_as("outsider")
    for url in (
        reverse("findings:coding", kwargs={"stage_pk": stage.pk}),
        reverse("findings:theme_delete", kwargs={"pk": theme.pk}),
        reverse("findings:instrument_export", kwargs={"cohort_pk": world.cohort.pk, "family": "trainee-interview"}),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in (404, 405)
