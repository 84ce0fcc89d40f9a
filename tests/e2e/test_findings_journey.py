"""A training lead codes two interview answers, sees them in the findings, and records an audit
round."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from evaluations.models import Subject
from programmes.models import Role

from ..conftest import PASSWORD
from ..findings import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUOTED = "I wanted more job satisfaction, and a stepping stone into nurse training."
PRIVATE = "My ward keeps cancelling my study days when it is short-staffed."


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_lead_codes_answers_sees_the_findings_and_records_an_audit(
    page, live_server, world, screenshot
):
    tool = f.instrument(world.organisation)
    f.instrument(
        world.organisation,
        family="manager-interview",
        subject=Subject.MANAGER,
        questions=f.MANAGER_QUESTIONS,
    )
    stage = f.stage(world.cohort, name="Start", trainee_instrument=tool)
    lead = world.person(Role.TRAINING_LEAD)
    f.interview(
        stage,
        tool,
        enrolment=world.enrolment,
        consent=True,
        interviewer=lead,
        answers={"why_applied": QUOTED, "confidence": 4},
    )
    other = f.enrolment(world, first_name="Jo", last_name="Private")
    f.interview(
        stage,
        tool,
        enrolment=other,
        consent=False,
        interviewer=lead,
        answers={"why_applied": PRIVATE, "confidence": 3},
    )

    log_in(page, live_server, "training_lead.acme")

    # The code list starts empty: the lead takes the suggested themes.
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/themes/")
    screenshot(page, "themes-empty")
    page.get_by_role("button", name="Add these 7 themes").click()
    assert page.get_by_test_id("theme").count() == 7
    screenshot(page, "themes-added")

    # Coding: the first answer is quotable, the second is not.
    page.goto(f"{live_server.url}/stages/{stage.pk}/coding/")
    answers = page.get_by_test_id("answer")
    assert answers.count() == 2
    first = answers.filter(has_text=QUOTED)
    second = answers.filter(has_text=PRIVATE)
    assert second.get_by_label("Quotable").is_disabled()
    screenshot(page, "coding-page")

    first.get_by_label("Job satisfaction").check()
    first.get_by_label("Career progression").check()
    first.get_by_label("Excerpt").fill("a stepping stone into nurse training")
    first.get_by_label("Quotable").check()
    first.get_by_role("button", name="Save coding").click()
    saved = page.get_by_test_id("answer").filter(has_text=QUOTED)
    expect(saved.get_by_test_id("saved")).to_be_visible()
    assert saved.get_by_label("Career progression").is_checked()
    screenshot(page, "first-answer-coded")

    second = page.get_by_test_id("answer").filter(has_text=PRIVATE)
    second.get_by_label("Protected study time").check()
    second.get_by_label("Staffing balance").check()
    second.get_by_role("button", name="Save coding").click()
    assert page.get_by_test_id("coding-progress").inner_text().startswith("2 of 2 answers coded")
    screenshot(page, "second-answer-coded")

    # The findings: counts for trainees, the consented quote, never the other answer.
    page.get_by_role("link", name="See the findings for this stage").click()
    trainees = page.get_by_test_id("trainee-findings")
    assert trainees.get_by_test_id("theme-count").count() == 4
    assert "Career progression" in trainees.inner_text() and "1 of 2" in trainees.inner_text()
    # The one quotable excerpt, under each of its two themes.
    quotes = page.get_by_test_id("trainee-quotes")
    assert quotes.count() == 2
    for i in range(2):
        assert "“a stepping stone into nurse training”" in quotes.nth(i).inner_text()
    assert quotes.nth(0).inner_text().startswith("Career progression")
    assert PRIVATE not in page.content()
    screenshot(page, "stage-findings")

    page.get_by_role("link", name=f"Back to findings for {world.cohort.name}").click()
    expect(page.get_by_test_id("trainee-change-table")).to_be_visible()
    expect(page.get_by_test_id("trainee-chart").locator("svg")).to_be_visible()
    screenshot(page, "cohort-findings")

    # An audit round: one criterion over the records sampled is refused, then corrected.
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/audits/")
    screenshot(page, "audits-empty")
    page.get_by_role("button", name="Record an audit round").click()
    page.get_by_label("Ward or clinical area").select_option(label="Larch Ward")
    page.get_by_label("Stage of the programme").fill("Start")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Records sampled").fill("10")
    page.get_by_label("Records meeting “Observations recorded”").fill("11")
    page.get_by_label("Records meeting “Early warning score calculated”").fill("8")
    page.get_by_label("Records meeting “Escalation documented”").fill("5")
    page.get_by_label("Records meeting “Physical health care plan in place”").fill("7")
    page.get_by_role("button", name="Record audit round").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_text("must be no more than the 10 records sampled").first).to_be_visible()
    screenshot(page, "audit-refused")

    page.get_by_label("Records meeting “Observations recorded”").fill("10")
    page.get_by_role("button", name="Record audit round").click()
    rounds = page.get_by_test_id("audit-round")
    assert rounds.count() == 1
    assert "75.0%" in rounds.inner_text()
    expect(page.get_by_test_id("audit-chart").locator("svg")).to_be_visible()
    screenshot(page, "audit-recorded")
    assert date.today()  # the round is in the past
