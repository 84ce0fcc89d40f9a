"""Picking competencies in few clicks, on the national frameworks as Ladder ships them: the whole
Care Certificate (16 standards with nothing under them) with "Select all", a KSF dimension with
its four levels by the dimension's own tick while its group stays closed, a standard's part by
search. Each page is checked with axe (tests/e2e/journey.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from competencies.frameworks.bundled import load_bundled_frameworks
from competencies.models import Framework, RoleProfileItem
from tests.evidence.factories import make_competency, make_framework

from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Clicks:
    """Counts what the person does on the page: each click, or key pressed on a control."""

    def __init__(self):
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def press(self, locator, key: str) -> None:
        self.count += 1
        locator.press(key)


def _picker(journey, world, framework) -> None:
    path = reverse("profiles:role_profile_add", kwargs={"programme_pk": world.programme.pk})
    journey.page.goto(journey.url(f"{path}?framework={framework.pk}"))


def _profile_ids(world) -> list[str]:
    return list(RoleProfileItem.objects.filter(profile__programme=world.programme)
                .order_by("sort_order").values_list("competency__id_number", flat=True))


def test_the_whole_care_certificate_and_a_ksf_dimension_take_a_click_each(page, live_server, world, screenshot):
    load_bundled_frameworks()
    care = Framework.objects.get(id_number="CARE-CERTIFICATE-2025")
    ksf = Framework.objects.get(id_number="NHS-KSF-2004")
    journey = Journey(page, live_server, screenshot)
    journey.log_in("training_lead.acme")

    # The Care Certificate: "Select all", core, save.
    _picker(journey, world, care)
    journey.step("care-certificate")
    clicks = Clicks()
    clicks.click(page.get_by_label(f"Select all in {care}"))
    expect(page.locator('input[name="competencies"]:checked')).to_have_count(16)
    clicks.click(page.get_by_label("Core", exact=True))
    journey.step("care-certificate-all-ticked")
    assert clicks.count <= 3
    page.get_by_role("button", name="Add to the role profile").click()
    assert _profile_ids(world) == [f"CC2025-S{n}" for n in range(1, 17)]

    # A KSF dimension: its tick sits beside its closed group; Space on it, by keyboard.
    _picker(journey, world, ksf)
    journey.step("ksf")
    c1 = page.get_by_label("All of KSF-C1 Communication")
    dimension = page.get_by_label("KSF-C1 Communication", exact=True)
    clicks = Clicks()
    clicks.press(c1, "Space")
    assert clicks.count == 1
    expect(c1).to_be_checked()
    expect(dimension).to_be_checked()
    expect(dimension).to_be_hidden()  # its group stayed closed
    # Taking one level out leaves the dimension's tick mixed, so it is not sent whole.
    page.get_by_text("Choose from KSF-C1 Communication one by one").click()
    page.get_by_role("checkbox", name="KSF-C1-L4").uncheck()
    assert c1.evaluate("box => box.indeterminate") and not c1.is_checked()
    journey.step("ksf-dimension-ticked")
    page.get_by_label("Role-specific", exact=True).check()
    page.get_by_role("button", name="Add to the role profile").click()
    assert _profile_ids(world)[16:] == ["KSF-C1", "KSF-C1-L1", "KSF-C1-L2", "KSF-C1-L3"]


def test_search_narrows_the_list_and_a_tick_covers_only_what_it_shows(page, live_server, world, screenshot):
    framework = make_framework(short_name="Standards (test)", taxonomies=["standard", "outcome"])
    for s in (1, 2):
        standard = make_competency(framework, f"Standard {s}", id_number=f"S{s}", depth=1)
        for n in range(1, 6):
            make_competency(framework, f"Outcome {s}.{n}", id_number=f"S{s}.{n}", parent=standard, depth=2)
    journey = Journey(page, live_server, screenshot)
    journey.log_in("training_lead.acme")
    _picker(journey, world, framework)
    journey.step("picker")
    page.get_by_label("All of S1 Standard 1").check()  # one tick for the whole standard
    page.get_by_label("Search the competencies").fill("Outcome 2.3")
    expect(page.get_by_label("S2.3 Outcome 2.3")).to_be_visible()
    expect(page.get_by_label("S2.4 Outcome 2.4")).to_be_hidden()
    expect(page.get_by_label("All of S1 Standard 1")).to_be_hidden()
    s2 = page.get_by_label("All of S2 Standard 2")
    s2.click()  # ticks only the outcome the search shows, so it reads as mixed
    expect(page.get_by_label("S2.3 Outcome 2.3")).to_be_checked()
    assert s2.evaluate("box => box.indeterminate") and not s2.is_checked()
    journey.step("searched")
    page.get_by_label("Core", exact=True).check()
    page.get_by_role("button", name="Add to the role profile").click()
    assert sorted(_profile_ids(world)) == ["S1", "S1.1", "S1.2", "S1.3", "S1.4", "S1.5", "S2.3"]


def test_without_javascript_the_ticks_are_sent_as_they_are(browser, live_server, world, screenshot):
    load_bundled_frameworks()
    ksf = Framework.objects.get(id_number="NHS-KSF-2004")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        journey = Journey(page, live_server, screenshot)
        journey.log_in("training_lead.acme")
        _picker(journey, world, ksf)
        expect(page.get_by_label("Search the competencies")).to_be_hidden()  # the script's part
        page.get_by_label("All of KSF-C2 Personal and people development").check()  # group stays closed
        expect(page.get_by_label("KSF-C2 Personal and people development", exact=True)).to_be_hidden()
        page.get_by_label("Core", exact=True).check()
        screenshot(page, "ksf-without-javascript")  # no axe: it runs as a script in the page
        page.get_by_role("button", name="Add to the role profile").click()
        assert _profile_ids(world) == ["KSF-C2", "KSF-C2-L1", "KSF-C2-L2", "KSF-C2-L3", "KSF-C2-L4"]
    finally:
        context.close()
