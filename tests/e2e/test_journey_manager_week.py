"""A line manager's week, from their home page: what is due, protected study time logged (one
session taken, one lost to staffing), a progress review held, the learning contract signed and
their own mid-way manager interview recorded; at the end of it nothing they dealt with is
still due, and the ward view shows where study time goes.

Every page is screenshotted and checked with axe (tests/e2e/journey.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.interviews import services as interview_services
from evaluations.models import Interview, Stage
from programmes.models import Role
from trainees.models import ProgressReview, StudySession

from .journey import Journey, fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INTERVIEW = "Your manager interview: Mid-way"


@pytest.fixture
def mid_way_open(world):
    """The training lead has set up the cohort's stages and opened the mid-way one."""
    lead = world.person(Role.TRAINING_LEAD)
    interview_services.stages_create_defaults(cohort=world.cohort, actor=lead)
    stage = Stage.objects.get(cohort=world.cohort, name="Mid-way")
    interview_services.stage_open(stage=stage, actor=lead)
    return stage


def test_a_managers_week(page, live_server, world, mid_way_open, screenshot):
    journey = Journey(page, live_server, screenshot)
    today = timezone.localdate()

    # Monday: what is due.
    journey.log_in("manager.acme")
    assert journey.heading() == "Your trainees"
    due = page.get_by_test_id("due-list")
    for title in (
        "Progress review with Sam Trainee",
        "Sign Sam Trainee's learning contract",
        "Sam Trainee's study time is below plan",
        INTERVIEW,
    ):
        expect(due.get_by_role("link", name=title)).to_be_visible()
    journey.step("home-what-is-due")

    # Study time: from the due item to the trainee's record.
    due.get_by_role("link", name="Sam Trainee's study time is below plan").click()
    assert journey.heading() == "Sam Trainee"
    journey.step("enrolment-page")
    sessions = page.get_by_test_id("session-form")
    fill_date(sessions, "Date of the session", today - timedelta(days=3))
    sessions.get_by_label("Hours").fill("3.5")
    sessions.get_by_label("Taken", exact=True).check()
    sessions.get_by_label("Note").fill("Library day")
    journey.step("study-session-filled")
    sessions.get_by_role("button", name="Record session").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "3.5 hours of study time taken"
    )
    journey.step("study-session-taken")

    # A session lost to staffing: without a reason it is refused next to the question.
    sessions = page.get_by_test_id("session-form")
    fill_date(sessions, "Date of the session", today - timedelta(days=1))
    sessions.get_by_label("Hours").fill("7.5")
    sessions.get_by_label("Lost", exact=True).check()
    sessions.get_by_role("button", name="Record session").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why the study time was lost.")
    # The title changes when the refused page has loaded: wait for it, never read it mid-load.
    expect(page).to_have_title(re.compile(r"^Error:"))
    journey.step("lost-session-needs-a-reason")
    sessions = page.get_by_test_id("session-form")
    sessions.get_by_label("Ward staffing").check()
    sessions.get_by_label("Cover was arranged on the ward").check()
    sessions.get_by_role("button", name="Record session").click()
    expect(page.get_by_test_id("hours-lost")).to_have_text("7.5 hours")
    journey.step("study-session-lost")

    # The progress review, held today.
    review = page.get_by_test_id("review-form")
    fill_date(review, "Date of the review", today)
    review.get_by_label("What was discussed").fill("Settling in well; portfolio started.")
    review.get_by_label("Agreed actions").fill("Book the physical health skills day.")
    journey.step("review-filled")
    review.get_by_role("button", name="Record review").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "progress review of"
    )
    journey.step("review-recorded")

    # The learning contract, signed as the line manager.
    page.get_by_role("button", name="Sign as line manager").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "You signed the learning contract as the line manager."
    )
    journey.step("contract-signed")

    # Their trainees at a glance.
    journey.menu("Your trainees")
    trainees = page.get_by_test_id("my-trainees")
    expect(trainees.get_by_role("link", name="Sam Trainee")).to_be_visible()
    journey.step("my-trainees")

    # Later in the week: their own manager interview, from the home page.
    journey.menu("Home")
    page.get_by_test_id("due-list").get_by_role("link", name=INTERVIEW).click()
    expect(page.get_by_test_id("interview-status")).to_have_text(re.compile("Due"))
    journey.step("interview-due")
    page.get_by_role("button", name="Record the interview").click()
    page.get_by_label("What do you expect the new role to bring to your ward or team?").fill(
        "Support for the registered nurses, and more time for physical health checks."
    )
    page.get_by_label("How have you found your experience of the programme so far?").fill(
        "Good, though releasing people for study days is hard."
    )
    page.get_by_label("What impact has the programme had on service delivery in your area?").fill(
        "More service users have had their physical observations done on time."
    )
    page.get_by_role("group", name="How difficult has it been to cover trainees").get_by_label(
        "4", exact=True
    ).check()
    fill_date(page, "Date the interview was held", today)
    page.get_by_label("The interviewee agrees to be quoted").check()
    journey.step("interview-form-filled")
    page.get_by_role("button", name="Complete the interview").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Interview completed")
    expect(page.get_by_test_id("interview-status")).to_have_text(re.compile("Done"))
    journey.step("interview-done")

    # Friday: none of what they dealt with is still due; the ward view shows the lost time.
    journey.menu("Home")
    main = page.get_by_role("main")
    for title in (
        "Progress review with Sam Trainee", "Sign Sam Trainee's learning contract", INTERVIEW
    ):
        expect(main.get_by_role("link", name=title)).to_have_count(0)
    journey.step("home-end-of-week")
    journey.menu("Interviews")
    expect(page.get_by_test_id("interviews-done")).to_contain_text("Mid-way")
    journey.step("my-interviews")
    journey.menu("Study time")  # the ward week, to log; it links to where time is lost
    journey.step("study-week")
    page.get_by_role("link", name="Where study time is lost, by ward").click()
    wards = page.get_by_test_id("wards")
    expect(wards.get_by_text("Larch Ward")).to_be_visible()
    journey.step("study-time-by-ward")

    assert StudySession.objects.filter(enrolment=world.enrolment).count() == 2
    assert ProgressReview.objects.filter(enrolment=world.enrolment, held_on=today).count() == 1
    interview = Interview.objects.get(subject="manager", stage=mid_way_open)
    assert interview.status == Interview.Status.DONE
