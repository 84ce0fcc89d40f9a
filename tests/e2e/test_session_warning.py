"""Before an idle session ends the page warns, and "Stay signed in" keeps the session going;
a form sent after the session has ended anyway is kept, and the login page says so."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_page_warns_before_the_session_ends_and_the_button_extends_it(
    page, live_server, world, screenshot, settings
):
    # A one-minute session that warns 58 seconds before its end: the warning is due at once.
    settings.SESSION_COOKIE_AGE = 60
    settings.SESSION_WARNING_SECONDS = 58
    settings.SESSION_REFRESH_AFTER = 0
    journey = Journey(page, live_server, screenshot)
    journey.log_in("trainee.acme")
    page.goto(journey.url("/evidence/new/"))
    warning = page.get_by_test_id("session-warning")
    expect(warning).to_be_visible(timeout=10_000)
    assert "You will be signed out soon" in warning.inner_text()
    screenshot(page, "warned")
    assert_accessible(page)

    with page.expect_response(lambda r: "/account/session/" in r.url) as answered:
        warning.get_by_role("button", name="Stay signed in").click()
    assert answered.value.ok
    expect(warning).to_be_hidden()
    screenshot(page, "extended")

    # The session ends all the same (the server forgets it); what is sent next is kept, and
    # the login page says so.
    page.get_by_label("Title").fill("Handover on Larch Ward")
    [cookie] = [c for c in page.context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME]
    import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"]).delete()
    page.get_by_role("button", name="Submit evidence").click()
    expect(page.get_by_text("What you sent has been kept")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    screenshot(page, "login-after-the-session-ended")
    assert_accessible(page)
