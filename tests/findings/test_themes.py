"""The programme's code list: suggested themes, adding, renaming and deleting."""

from __future__ import annotations

from django.urls import reverse

from evaluations.findings.defaults import DEFAULT_THEMES
from evaluations.models import Coding, Theme
from programmes.models import Role

from ..programmes.helpers import Page
from . import factories as f


def _url(world):
    return reverse("findings:themes", kwargs={"programme_pk": world.programme.pk})


def test_the_lead_adds_the_suggested_themes_once(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    f.theme(world.programme, "job satisfaction")  # already there, in other capitals
    page = Page(client.get(_url(world)))
    assert "Job satisfaction" not in page.items(data_testid="suggested-themes")
    assert len(page.items(data_testid="suggested-themes")) == len(DEFAULT_THEMES) - 1

    assert client.post(_url(world), {"action": "defaults"}).status_code == 302
    client.post(_url(world), {"action": "defaults"})
    names = sorted(Theme.objects.filter(programme=world.programme).values_list("name", flat=True))
    assert len(names) == len(DEFAULT_THEMES)
    assert not Page(client.get(_url(world))).has(data_testid="suggested-themes")


def test_a_theme_name_is_unique_ignoring_case(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    assert client.post(_url(world), {"name": "Staffing balance", "description": ""}).status_code == 302
    response = client.post(_url(world), {"name": "  staffing   BALANCE ", "description": ""})
    assert Page(response).error_for("id_name") == "The code list already has a theme called “staffing BALANCE”"
    assert Theme.objects.filter(programme=world.programme).count() == 1


def test_rename_and_delete_with_its_codings(client_as, world):
    instrument = f.instrument(world.organisation)
    stage = f.stage(world.cohort)
    interview = f.interview(stage, instrument, enrolment=world.enrolment, answers={"why_applied": "Pay."})
    coding = f.code(interview, "why_applied", "Pay")
    client = client_as(Role.TRAINING_LEAD)

    edit = reverse("findings:theme_edit", kwargs={"pk": coding.theme_id})
    assert client.post(edit, {"name": "Remuneration", "description": "Pay"}).status_code == 302
    assert Theme.objects.get(pk=coding.theme_id).name == "Remuneration"

    delete = reverse("findings:theme_delete", kwargs={"pk": coding.theme_id})
    assert "1 coded answer" in Page(client.get(delete)).root.text()
    client.post(delete)
    assert not Theme.objects.filter(pk=coding.theme_id).exists() and not Coding.objects.exists()


def test_a_planner_reads_the_code_list_but_cannot_change_it(client_as, world):
    f.theme(world.programme, "Job satisfaction")
    client = client_as(Role.PLANNER)
    page = Page(client.get(_url(world)))
    assert [r["Theme"] for r in page.rows(data_testid="theme")] == ["Job satisfaction"]
    assert not page.has(data_testid="theme-form")
    assert client.post(_url(world), {"name": "Sneaky"}).status_code == 403
    assert client.post(_url(world), {"action": "defaults"}).status_code == 403
