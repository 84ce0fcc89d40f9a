"""Each of the six roles walks its own Ladder at 1280 px and at a phone's 390 px: every menu
item opens a page the role may use, nothing scrolls sideways, the planner reaches an export
in two clicks from home and the lecturer a cohort in one. Screenshots of every page go to
var/screenshots/<test>/; axe checks the home and account pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from programmes.models import Role
from reports.models import ReportJob

from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS))
def sized(browser, request):
    context = browser.new_context(viewport=WIDTHS[request.param], locale="en-GB",
                                  is_mobile=request.param == "phone")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.width_name = request.param
    yield page
    context.close()


def _menu_links(page) -> list[tuple[str, str]]:
    links = page.get_by_role("navigation", name="Menu").locator("a.nhsuk-header__navigation-link")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href"))
            for i in range(links.count())]


def _fits(page) -> bool:
    width = page.evaluate("window.innerWidth")
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("role", Role.values)
def test_each_role_walks_its_menu(sized, live_server, world, screenshot, role):
    journey = Journey(sized, live_server, screenshot)
    journey.log_in(f"{role}.acme")
    journey.step(f"{sized.width_name}-home")
    assert _fits(sized), "home"
    links = _menu_links(sized)
    assert links and links[0][0] == "Home"
    for label, href in links[1:]:
        response = sized.goto(journey.url(href))
        assert response.ok, (label, response.status)
        screenshot(sized, f"{sized.width_name}-{label.lower().replace(' ', '-')}")
        assert _fits(sized), label
    sized.goto(journey.url("/account/"))
    journey.step(f"{sized.width_name}-account")
    assert ("API tokens" in sized.get_by_role("main").inner_text()) == (
        role in (Role.TRAINING_LEAD, Role.PLANNER)
    )


def test_the_planner_reaches_an_export_in_two_clicks_from_home(page, live_server, world, screenshot):
    journey = Journey(page, live_server, screenshot)
    journey.log_in("planner.acme")
    journey.step("home")
    page.get_by_role("link", name="Export data sets (CSV or Excel)").click()  # 1
    journey.step("export-page")
    page.get_by_role("button", name="Make the export").click()  # 2
    expect(page.get_by_test_id("job-progress")).to_be_visible()
    journey.step("export-job")
    assert ReportJob.objects.filter(kind__startswith="export").count() == 1


def test_the_lecturer_reaches_a_cohort_in_one_click(page, live_server, world, screenshot):
    journey = Journey(page, live_server, screenshot)
    journey.log_in("lecturer.acme")
    journey.step("home")
    page.get_by_test_id("lecturer-cohorts").get_by_role("link", name=world.cohort.name, exact=True).click()
    assert world.cohort.name in journey.heading()
    journey.step("cohort")


def test_a_manager_logs_a_wards_week_in_one_save(sized, live_server, world, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    from trainees.models import StudySession
    from trainees.study_week import week_of

    page = sized
    journey = Journey(page, live_server, screenshot)
    journey.log_in("manager.acme")
    monday = week_of(timezone.localdate()) - timedelta(weeks=1)
    page.goto(journey.url(f"/study-time/week/?week={monday.isoformat()}"))
    journey.step(f"{page.width_name}-week")
    row = page.get_by_test_id("study-week-row").filter(has_text="Sam Trainee")
    for index, (hours, outcome) in enumerate((("3.5", "Taken"), ("3.5", "Lost: ward staffing"),
                                              ("", ""), ("7.5", "Taken"))):
        if not hours:
            continue
        day = (monday + timedelta(days=index)).strftime("%A %-d %B")
        row.get_by_label(f"Hours, Sam Trainee, {day}").fill(hours)
        row.get_by_label(f"Taken or lost, Sam Trainee, {day}").select_option(label=outcome)
    page.get_by_role("button", name="Save the week").click()  # the one save
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("3 sessions")
    journey.step(f"{page.width_name}-week-saved")
    assert StudySession.objects.filter(enrolment=world.enrolment).count() == 3
