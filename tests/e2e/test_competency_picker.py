"""Picking a whole standard at once: the role-profile picker groups competencies under their
standard, "All of ..." ticks the group, and the search box narrows the list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from competencies.models import Competency, Framework, RoleProfileItem
from tests.evidence.factories import make_competency, make_framework

from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_adds_a_whole_standard_in_one_tick(page, live_server, world, screenshot):
    framework = make_framework(short_name="Care Certificate (test)")
    standards = []
    for s in (1, 2):
        standard = make_competency(framework, f"Standard {s}", id_number=f"S{s}", depth=1)
        standards.append(standard)
        for n in range(1, 6):
            make_competency(framework, f"Outcome {s}.{n}", id_number=f"S{s}.{n}", parent=standard, depth=2)
    journey = Journey(page, live_server, screenshot)
    journey.log_in("training_lead.acme")
    page.goto(journey.url(reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
                          + f"?framework={framework.pk}"))
    journey.step("picker")
    page.get_by_text("S1 Standard 1 (6)").click()  # open the standard
    page.get_by_label("All of S1 Standard 1").check()  # one tick for the whole standard
    journey.step("standard-ticked")
    page.get_by_label("Search the competencies").fill("Outcome 2.3")
    expect(page.get_by_label("S2.3 Outcome 2.3")).to_be_visible()
    expect(page.get_by_label("S2.4 Outcome 2.4")).to_be_hidden()
    page.get_by_label("S2.3 Outcome 2.3").check()
    journey.step("searched")
    page.get_by_label("Core", exact=True).check()
    page.get_by_role("button", name="Add to the role profile").click()
    ids = sorted(RoleProfileItem.objects.filter(profile__programme=world.programme)
                 .values_list("competency__id_number", flat=True))
    assert ids == ["S1", "S1.1", "S1.2", "S1.3", "S1.4", "S1.5", "S2.3"]
    assert Framework.objects.filter(pk=framework.pk).exists() and Competency.objects.count() >= 12
