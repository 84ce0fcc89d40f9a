"""In Chromium: a lead with an API token changes their password and is told the token was
revoked, with the way to make a new one; someone asking for reset links too often is told to
wait, next to what they typed. Screenshots at 1280 px and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from programmes.models import Role

from ..conftest import PASSWORD
from .axe import assert_accessible
from .test_login_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-quite-different-phrase-42"  # noqa: S105


def _both_widths(page, screenshot, step: str) -> None:
    screenshot(page, step)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{step}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_password_change_revokes_the_token_and_says_how_to_make_a_new_one(
    page, live_server, world, screenshot
):
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/account/tokens/")
    page.get_by_label("What is the token for?").fill("ESR feed")
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_test_id("token-key")).to_be_visible()

    page.goto(f"{live_server.url}/account/password/change/")
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    notice = page.locator("#tokens-revoked")
    assert "your 1 API token was revoked" in notice.inner_text()
    assert_accessible(page)
    _both_widths(page, screenshot, "password-changed-token-revoked")

    notice.get_by_role("link", name="Make a new API token").click()
    tokens = page.get_by_test_id("tokens")
    expect(tokens.get_by_text("Revoked")).to_be_visible()
    screenshot(page, "tokens-page-after")


def test_the_sixth_reset_request_for_one_address_is_told_to_wait(
    page, live_server, world, screenshot, own_cache
):
    email = world.person(Role.MENTOR).email
    for _ in range(5):
        page.goto(f"{live_server.url}/account/password/reset/")
        page.get_by_label("Email address").fill(email)
        page.get_by_role("button", name="Send reset link").click()
        assert "/account/password/reset/sent/" in page.url

    page.goto(f"{live_server.url}/account/password/reset/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send reset link").click()

    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_text("too many reset links for this email address").first).to_be_visible()
    assert page.get_by_label("Email address").input_value() == email
    assert_accessible(page)
    _both_widths(page, screenshot, "reset-throttled")
