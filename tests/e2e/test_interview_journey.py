"""The evaluation journey: a training lead sets up a cohort's stages and opens the mid-way one;
the line manager finds their interview, saves a draft and completes it; the lead codes two of
its answers and sees them on the stage's findings."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluations.models import Interview

from ..conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_lead_opens_the_mid_way_stage_and_the_manager_completes_their_interview(
    page, live_server, world, screenshot
):
    log_in(page, live_server, "training_lead.acme")
    # The ready-made instruments are there on first use; the lead adds a question of their own.
    page.goto(f"{live_server.url}/instruments/")
    page.get_by_test_id("instruments").get_by_role("link", name="Manager interview").click()
    screenshot(page, "lead-manager-instrument")
    page.get_by_role("button", name="Change the questions").click()
    new = page.get_by_test_id("question-10")
    new.get_by_label("Question").fill("What would make releasing trainees for study easier?")
    screenshot(page, "lead-instrument-edit")
    page.get_by_role("button", name="Save the questions").click()
    assert "saved" in page.locator(".nhsuk-notification-banner").inner_text()
    assert (
        "What would make releasing trainees for study easier?"
        in page.get_by_test_id("questions").inner_text()
    )

    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/evaluation/")
    assert page.get_by_role("heading", level=1).inner_text() == "Evaluation stages"
    expect(page.get_by_test_id("no-stages")).to_be_visible()
    screenshot(page, "lead-no-stages-yet")

    page.get_by_role("button", name="Set up the default stages").click()
    stages = page.get_by_test_id("stages")
    expect(stages.get_by_role("link", name="Start")).to_be_visible()
    expect(stages.get_by_role("link", name="Qualification")).to_be_visible()
    screenshot(page, "lead-default-stages")

    page.get_by_test_id("stage-mid-way").get_by_role("button", name="Open").click()
    assert (
        "is open: 2 interviews now due" in page.locator(".nhsuk-notification-banner").inner_text()
    )
    expect(
        page.get_by_test_id("trainee-interviews").get_by_role("link", name="Sam Trainee")
    ).to_be_visible()
    expect(
        page.get_by_test_id("manager-interviews").get_by_role("link", name="Manager Acme")
    ).to_be_visible()
    screenshot(page, "lead-mid-way-open")

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "manager.acme")
    page.goto(f"{live_server.url}/my/interviews/")
    due = page.get_by_test_id("interviews-due")
    expect(due.get_by_role("link", name="Your manager interview: Mid-way")).to_be_visible()
    screenshot(page, "manager-my-interviews")

    due.get_by_role("link", name="Your manager interview: Mid-way").click()
    assert page.get_by_test_id("interview-status").inner_text().strip() == "Due"
    screenshot(page, "manager-interview-due")
    page.get_by_role("button", name="Record the interview").click()
    page.get_by_label("What do you expect the new role to bring to your ward or team?").fill(
        "Support for the registered nurses, and more time for physical health checks."
    )
    screenshot(page, "manager-recording")
    page.get_by_role("button", name="Save as draft").click()
    assert "Draft saved" in page.locator(".nhsuk-notification-banner").inner_text()
    assert page.get_by_test_id("interview-status").inner_text().strip() == "In progress"
    screenshot(page, "manager-draft-saved")

    page.get_by_role("button", name="Continue recording").click()
    # Completing too early is refused, with what is missing, and nothing typed is lost.
    page.get_by_role("button", name="Complete the interview").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    assert (
        "Answer “How have you found your experience of the programme so far?” to complete the interview"
        in summary.inner_text()
    )
    assert (
        "Support for the registered nurses"
        in page.get_by_label(
            "What do you expect the new role to bring to your ward or team?"
        ).input_value()
    )
    screenshot(page, "manager-complete-refused")

    page.get_by_label("How have you found your experience of the programme so far?").fill(
        "Good, though releasing people for study days is hard."
    )
    page.get_by_label("What impact has the programme had on service delivery in your area?").fill(
        "More service users have had their physical observations done on time."
    )
    page.get_by_role("group", name="How difficult has it been to cover trainees").get_by_label(
        "4", exact=True
    ).check()
    page.get_by_role("group", name="Date the interview was held").get_by_label("Day").fill("2")
    page.get_by_role("group", name="Date the interview was held").get_by_label("Month").fill("11")
    page.get_by_role("group", name="Date the interview was held").get_by_label("Year").fill("2026")
    page.get_by_label("What would make releasing trainees for study easier?").fill(
        "Bank staff funded for study days."
    )
    page.get_by_label("The interviewee agrees to be quoted").check()
    page.get_by_role("button", name="Complete the interview").click()
    assert "Interview completed" in page.locator(".nhsuk-notification-banner").inner_text()
    assert page.get_by_test_id("interview-status").inner_text().strip() == "Done"
    assert "releasing people for study days is hard" in page.get_by_test_id("answers").inner_text()
    screenshot(page, "manager-interview-done")

    interview = Interview.objects.get(subject="manager", stage__name="Mid-way")
    assert interview.status == Interview.Status.DONE and interview.consent_to_quote
    page.goto(f"{live_server.url}/my/interviews/")
    expect(page.get_by_test_id("interviews-done")).to_be_visible()
    screenshot(page, "manager-my-interviews-done")

    # The lead codes two of the manager's answers and sees them on the stage's findings.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/themes/")
    page.get_by_role("button", name="Add these 7 themes").click()
    page.goto(f"{live_server.url}/stages/{interview.stage_id}/coding/")
    study = page.get_by_test_id("answer").filter(has_text="releasing people for study days is hard")
    study.get_by_label("Protected study time").check()
    study.get_by_label("Excerpt").fill("releasing people for study days is hard")
    study.get_by_label("Quotable").check()
    study.get_by_role("button", name="Save coding").click()
    nurses = page.get_by_test_id("answer").filter(has_text="Support for the registered nurses")
    nurses.get_by_label("Supporting registered staff").check()
    nurses.get_by_role("button", name="Save coding").click()
    screenshot(page, "lead-coded-two-answers")
    page.get_by_role("link", name="See the findings for this stage").click()
    managers = page.get_by_test_id("manager-findings")
    assert "Protected study time" in managers.inner_text()
    assert "Supporting registered staff" in managers.inner_text()
    assert "releasing people for study days is hard" in managers.inner_text()
    screenshot(page, "lead-stage-findings")
