"""A training lead plans a programme: creates it, lays out two milestones (one already late),
opens a cohort, and sees it all on the programme page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def fill_date(page, field: str, value) -> None:
    page.locator(f"#id_{field}_day").fill(str(value.day))
    page.locator(f"#id_{field}_month").fill(str(value.month))
    page.locator(f"#id_{field}_year").fill(str(value.year))


def test_a_training_lead_plans_a_programme(page, live_server, world, screenshot):
    today = timezone.localdate()
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/programmes/")
    assert page.get_by_role("heading", level=1).inner_text() == "Programmes"
    screenshot(page, "programme-list")

    page.get_by_role("button", name="Create a programme").click()
    page.get_by_label("Title").fill("Nursing associate in care homes")
    page.get_by_label("Setting").fill("Care homes")
    page.get_by_label("Add wards or clinical areas, one per line").fill(
        "Birch Ward\nCommunity team"
    )
    page.get_by_label("Intended benefits, one per line").fill(
        "Improve residents' access to physical healthcare\nA career pathway for support staff"
    )
    page.get_by_label("Apprenticeship standard", exact=True).check()
    page.get_by_label("Course or standard").fill("ST0827 nursing associate, level 5")
    screenshot(page, "create-form-filled")
    page.get_by_role("button", name="Create programme").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Nursing associate in care homes"
    expect(page.get_by_text("Programme “Nursing associate in care homes” created.")).to_be_visible()
    assert page.get_by_test_id("partners").inner_text() == "None"  # partners join by consent
    screenshot(page, "programme-created")

    # A milestone already past its due date and not done: late.
    page.get_by_role("button", name="Add a milestone").click()
    page.get_by_label("Milestone", exact=True).fill("Project team formed")
    fill_date(page, "due_on", today - timedelta(days=30))
    screenshot(page, "milestone-form")
    page.get_by_role("button", name="Add milestone").click()

    # One done on time.
    page.get_by_role("button", name="Add a milestone").click()
    page.get_by_label("Milestone", exact=True).fill("Code of practice agreed")
    fill_date(page, "due_on", today - timedelta(days=5))
    fill_date(page, "done_on", today - timedelta(days=10))
    page.get_by_role("button", name="Add milestone").click()

    milestones = page.get_by_test_id("milestones")
    late_row = milestones.get_by_test_id("milestone").filter(has_text="Project team formed")
    done_row = milestones.get_by_test_id("milestone").filter(has_text="Code of practice agreed")
    assert late_row.locator(".nhsuk-tag--red").inner_text() == "Late"
    assert done_row.locator(".nhsuk-tag--green").inner_text() == "Done"
    assert page.get_by_test_id("late-count").inner_text() == "1 milestone is late."
    page.locator("#milestones").scroll_into_view_if_needed()
    screenshot(page, "milestones")

    # Opening a cohort: an end before the start is refused next to the end date.
    page.get_by_role("button", name="Open a cohort").click()
    page.get_by_label("Name").fill("Cohort 1 (2027 intake)")
    fill_date(page, "starts_on", today + timedelta(days=60))
    fill_date(page, "ends_on", today + timedelta(days=30))
    page.get_by_role("button", name="Open cohort").click()
    # The title changes when the refused page has loaded: wait for it, never read it mid-load.
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert (
        page.locator("#id_ends_on-error")
        .inner_text()
        .endswith("The expected end must be after the start date.")
    )
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    screenshot(page, "cohort-refused")

    fill_date(page, "ends_on", today + timedelta(days=60 + 700))
    page.get_by_label("Lecturer Acme").check()
    page.get_by_role("button", name="Open cohort").click()

    cohort_row = page.get_by_test_id("cohort").filter(has_text="Cohort 1 (2027 intake)")
    expect(cohort_row.get_by_text("Lecturer Acme")).to_be_visible()
    expect(page.get_by_test_id("audit-trail")).to_be_visible()
    screenshot(page, "programme-page")
    page.get_by_text("History of changes").click()
    expect(page.get_by_test_id("audit-trail").get_by_text("Create cohort")).to_be_visible()
    screenshot(page, "programme-history")

    cohort_row.get_by_role("link", name="Cohort 1 (2027 intake)", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cohort 1 (2027 intake)"
    screenshot(page, "cohort-page")

    page.goto(f"{live_server.url}/programmes/")
    rows = page.get_by_test_id("programme-row")
    expect(rows.filter(has_text="Nursing associate in care homes")).to_be_visible()
    screenshot(page, "programme-list-after")
