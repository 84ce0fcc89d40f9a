"""A trainee's record through a programme, in the browser: the four parties sign the learning
contract, the line manager logs study time (one session lost, with why) and records a progress
review, and the training lead completes the enrolment with an outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from trainees.models import ContractSignature, Enrolment, ProgressReview, StudySession

from ..conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def fill_date(page, prefix: str, day: int, month: int, year: int) -> None:
    page.locator(f"#{prefix}_day").fill(str(day))
    page.locator(f"#{prefix}_month").fill(str(month))
    page.locator(f"#{prefix}_year").fill(str(year))


def test_a_trainee_record_from_signing_to_completion(page, live_server, world, screenshot):
    enrolment_url = f"{live_server.url}/enrolments/{world.enrolment.pk}/"

    # The training lead looks at the cohort and opens Sam's enrolment.
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Cohort 1"
    table = page.get_by_test_id("cohort-trainees")
    expect(table.get_by_text("0/4 signed")).to_be_visible()
    expect(page.get_by_test_id("below-plan").get_by_text("Sam Trainee")).to_be_visible()
    screenshot(page, "lead-cohort-page")
    table.get_by_role("link", name="Sam Trainee").click()
    assert page.url == enrolment_url
    expect(
        page.get_by_test_id("contract-unsigned").get_by_text("Not signed yet by 4 of 4")
    ).to_be_visible()
    screenshot(page, "lead-enrolment-page")
    log_out(page)

    # The trainee signs from their own record.
    log_in(page, live_server, "trainee.acme")
    page.goto(f"{live_server.url}/my/record/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your training record"
    page.get_by_role("button", name="Sign as trainee").click()
    expect(
        success_banner(page).get_by_text("You signed the learning contract as the trainee.")
    ).to_be_visible()
    assert page.url == f"{live_server.url}/my/record/"
    assert page.get_by_role("button", name="Sign as trainee").count() == 0
    screenshot(page, "trainee-signed")
    log_out(page)

    # The mentor finds the contract waiting on their mentees page.
    log_in(page, live_server, "mentor.acme")
    page.goto(f"{live_server.url}/my/mentees/")
    mentees = page.get_by_test_id("my-mentees")
    expect(mentees.get_by_text("Waiting for you")).to_be_visible()
    screenshot(page, "mentor-mentees")
    mentees.get_by_role("link", name="Read and sign").click()
    page.get_by_role("button", name="Sign as mentor").click()
    expect(
        success_banner(page).get_by_text("You signed the learning contract as the mentor.")
    ).to_be_visible()
    screenshot(page, "mentor-signed")
    log_out(page)

    # The lecturer signs from the cohort they teach.
    log_in(page, live_server, "lecturer.acme")
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/")
    page.get_by_test_id("cohort-trainees").get_by_role("link", name="Sam Trainee").click()
    page.get_by_role("button", name="Sign as lecturer").click()
    expect(success_banner(page)).to_be_visible()
    screenshot(page, "lecturer-signed")
    log_out(page)

    # The line manager signs last, then logs study time and a review.
    log_in(page, live_server, "manager.acme")
    page.goto(f"{live_server.url}/my/trainees/")
    trainees = page.get_by_test_id("my-trainees")
    expect(trainees.get_by_text("Overdue")).to_be_visible()
    screenshot(page, "manager-trainees")
    trainees.get_by_role("link", name="Sam Trainee").click()
    page.get_by_role("button", name="Sign as line manager").click()
    expect(page.get_by_test_id("contract-signed")).to_be_visible()
    assert ContractSignature.objects.filter(contract__enrolment=world.enrolment).count() == 4
    screenshot(page, "contract-signed-by-all-four")

    session_form = page.get_by_test_id("session-form")
    fill_date(session_form, "session_date", 2, 2, 2026)
    session_form.get_by_label("Hours").fill("3.5")
    session_form.get_by_label("Taken", exact=True).check()
    session_form.get_by_label("Note").fill("Library day")
    session_form.get_by_role("button", name="Record session").click()
    expect(
        success_banner(page).get_by_text("3.5 hours of study time taken on 2 February 2026")
    ).to_be_visible()
    screenshot(page, "manager-logged-session")

    # A lost session without a reason is refused next to the question.
    session_form = page.get_by_test_id("session-form")
    fill_date(session_form, "session_date", 9, 2, 2026)
    session_form.get_by_label("Hours").fill("7.5")
    session_form.get_by_label("Lost", exact=True).check()
    session_form.get_by_role("button", name="Record session").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why the study time was lost.")
    expect(page.locator("#session_lost_reason-error")).to_be_visible()
    # The title changes when the refused page has loaded: wait for it, never read it mid-load.
    expect(page).to_have_title(re.compile(r"^Error:"))
    screenshot(page, "lost-session-needs-a-reason")
    session_form = page.get_by_test_id("session-form")
    session_form.get_by_label("Ward staffing").check()
    session_form.get_by_label("Cover was arranged on the ward").check()
    session_form.get_by_role("button", name="Record session").click()
    expect(success_banner(page)).to_be_visible()
    assert page.get_by_test_id("hours-lost").inner_text() == "7.5 hours"
    assert StudySession.objects.filter(enrolment=world.enrolment).count() == 2
    screenshot(page, "manager-logged-lost-session")

    review_form = page.get_by_test_id("review-form")
    fill_date(review_form, "review_held_on", 30, 3, 2026)
    review_form.get_by_label("What was discussed").fill("Settling in well; portfolio started.")
    review_form.get_by_label("Agreed actions").fill("Book the physical health skills day.")
    review_form.get_by_role("button", name="Record review").click()
    expect(
        success_banner(page).get_by_text("The progress review of 30 March 2026 was recorded.")
    ).to_be_visible()
    assert ProgressReview.objects.filter(enrolment=world.enrolment).count() == 1
    page.locator("#reviews").scroll_into_view_if_needed()
    screenshot(page, "manager-recorded-review")
    log_out(page)

    # The training lead completes the enrolment: first without an outcome, which is refused.
    log_in(page, live_server, "training_lead.acme")
    page.goto(enrolment_url)
    status_form = page.get_by_test_id("transition-form")
    status_form.get_by_label("Completed").check()
    status_form.get_by_label("Why").fill("Passed the foundation degree")
    status_form.get_by_role("button", name="Change status").click()
    expect(
        page.locator(".nhsuk-error-summary").get_by_text(
            "Choose the outcome of the programme for this trainee."
        )
    ).to_be_visible()
    screenshot(page, "completing-needs-an-outcome")
    status_form = page.get_by_test_id("transition-form")
    assert status_form.get_by_label("Why").input_value() == "Passed the foundation degree"
    status_form.get_by_label("Qualified in the role").check()
    status_form.get_by_role("button", name="Change status").click()
    expect(
        success_banner(page).get_by_text("Sam Trainee's enrolment is now completed.")
    ).to_be_visible()
    history = page.get_by_test_id("status-history")
    expect(history.get_by_text("Active → Completed")).to_be_visible()
    expect(history.get_by_text("Passed the foundation degree")).to_be_visible()
    assert page.get_by_test_id("outcome").inner_text() == "Qualified in the role"
    screenshot(page, "lead-completed-enrolment")
    world.enrolment.refresh_from_db()
    assert (world.enrolment.status, world.enrolment.outcome) == (
        Enrolment.Status.COMPLETED,
        Enrolment.Outcome.QUALIFIED,
    )

    # The lead's audit trail attributes every change; the ward view shows where time is lost.
    page.get_by_test_id("audit-trail").locator("summary").click()
    expect(page.get_by_test_id("audit-trail").get_by_text("Manager Acme").first).to_be_visible()
    screenshot(page, "lead-audit-trail")
    page.goto(f"{live_server.url}/study-time/wards/")
    wards = page.get_by_test_id("wards")
    expect(wards.get_by_text("Larch Ward")).to_be_visible()
    expect(wards.get_by_text("1 of 1")).to_be_visible()  # cover was arranged
    screenshot(page, "lead-ward-view")


def test_a_lead_adds_a_trainee_and_a_duplicate_number_is_refused(
    page, live_server, world, screenshot
):
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/trainees/")
    expect(page.get_by_test_id("trainees").get_by_role("link", name="Sam Trainee")).to_be_visible()
    screenshot(page, "trainee-list")
    page.get_by_role("button", name="Add a trainee").click()
    form = page.get_by_test_id("trainee-form")
    form.get_by_label("First name").fill("Robin")
    form.get_by_label("Last name").fill("Newman")
    form.get_by_label("Employee number").fill("E1001")  # Sam's
    form.get_by_label("Ward or clinical area").select_option(label="Larch Ward")
    form.get_by_label("Line manager").select_option(label="Manager Acme")
    form.get_by_role("button", name="Add trainee").click()
    message = "Another trainee in this organisation has this employee number."
    expect(page.locator(".nhsuk-error-summary").get_by_text(message)).to_be_visible()
    expect(page.locator("#id_employee_number-error").get_by_text(message)).to_be_visible()
    assert page.get_by_label("First name").input_value() == "Robin"
    screenshot(page, "duplicate-employee-number")
    page.get_by_label("Employee number").fill("E1002")
    page.get_by_role("button", name="Add trainee").click()
    expect(success_banner(page).get_by_text("Robin Newman was added.")).to_be_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Robin Newman"
    screenshot(page, "trainee-added")

    # Enrol Robin on the cohort, starting as applied.
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/")
    page.get_by_role("button", name="Enrol a trainee").click()
    page.get_by_label("Trainee").select_option(label="Robin Newman (E1002)")
    fill_date(page, "id_enrolled_on", 2, 3, 2026)
    page.get_by_label("Applied: not started yet").check()
    screenshot(page, "enrol-form")
    page.get_by_role("button", name="Enrol").click()
    expect(
        success_banner(page).get_by_text("Robin Newman is enrolled on Cohort 1.")
    ).to_be_visible()
    screenshot(page, "robin-enrolled")
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/?status=applied")
    table = page.get_by_test_id("cohort-trainees")
    expect(table.get_by_role("link", name="Robin Newman")).to_be_visible()
    assert table.get_by_role("link", name="Sam Trainee").count() == 0
    screenshot(page, "cohort-filtered-to-applied")
