"""Two roles log in through the real login page and each sees what their role is for."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from programmes.models import Role

from ..conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_training_lead_and_a_trainee_each_see_their_own_dashboard(
    page, live_server, world, screenshot
):
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/account/login/")
    screenshot(page, "login-page")

    # A wrong password is refused with the error summary, next to nothing stored.
    page.get_by_label("Username").fill("training_lead.acme")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    # The title changes when the refused page has loaded: wait for it, never read it mid-load.
    expect(page).to_have_title(re.compile(r"^Error:"))
    screenshot(page, "login-refused")

    log_in(page, live_server, "training_lead.acme")
    header = page.locator("header")
    expect(header.get_by_text("Training lead, Acme Mental Health NHS Trust")).to_be_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Programmes and cohorts"
    # The programme's first milestone is late: it heads what is due.
    due = page.get_by_test_id("due-list")
    expect(due.get_by_role("link", name="Milestone: Project team formed")).to_be_visible()
    expect(due.get_by_text("Overdue").first).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Programmes")).to_be_visible()
    screenshot(page, "training-lead-dashboard")

    page.get_by_role("link", name="See everyone in Acme Mental Health NHS Trust").click()
    people = page.get_by_test_id("people")
    expect(people.get_by_text("Trainee Acme")).to_be_visible()
    assert people.get_by_text(world.outsider.get_full_name()).count() == 0
    screenshot(page, "training-lead-people")

    page.get_by_role("button", name="Log out").click()
    assert "/account/login/" in page.url

    log_in(page, live_server, "trainee.acme")
    expect(
        page.locator("header").get_by_text("Trainee, Acme Mental Health NHS Trust")
    ).to_be_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Your training record"
    # A trainee has no People page: not in the menu, and refused if typed in.
    assert (
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").count() == 0
    )
    screenshot(page, "trainee-dashboard")
    page.goto(f"{live_server.url}/people/")
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot use this page"
    screenshot(page, "trainee-refused-people")


def test_the_stylesheet_and_scripts_load_from_our_own_server(page, live_server, world):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{live_server.url}/account/login/")
    assert not failed
    assert all(url.startswith(live_server.url) for url in requests), requests
    # The NHS.UK frontend really styled the page (its header is NHS blue) in Arial.
    header_colour = page.locator("header.nhsuk-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"
    font = page.locator("body").evaluate("el => getComputedStyle(el).fontFamily")
    assert font.lower().startswith("arial")
    # The frontend's JavaScript ran (it marks the body as supported).
    assert "nhsuk-frontend-supported" in page.locator("body").get_attribute("class")


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MENTOR])
def test_other_roles_land_on_their_dashboard(page, live_server, world, role, screenshot):
    log_in(page, live_server, f"{role}.acme")
    expect(page.locator("header").get_by_text(f"{Role(role).label}, Acme")).to_be_visible()
    screenshot(page, f"{role}-dashboard")
