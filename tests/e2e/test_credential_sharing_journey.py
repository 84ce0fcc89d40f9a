"""A credential shared and checked: the trainee opens their credentials from their record and
copies the link; a district nurse, signed out, opens it and sees it valid (at 1280 px and on a
390 px phone); the sign-off is withdrawn and the same link then says revoked. Screenshots of
every step, and axe on each page (tests/e2e/journey.py)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import expect

from ..credentials.helpers import delegated_task, record_withdrawal
from ..evidence.factories import sign_off, submit
from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_trainee_shares_a_credential_that_shows_valid_then_revoked(
    page, live_server, world, screenshot, settings, browser
):
    settings.LADDER_PUBLIC_URL = live_server.url
    task = delegated_task(world)
    sign_off(submit(world.trainee, [task]), {task.pk: 1})  # committed: issued
    journey = Journey(page=page, live_server=live_server, screenshot=screenshot)

    journey.log_in("trainee.acme")
    page.goto(journey.url(reverse("trainees:my_record")))
    page.get_by_test_id("credentials-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your credentials")
    card = page.get_by_test_id("credential")
    expect(card).to_contain_text("Insulin administration")
    expect(card.locator(".nhsuk-tag")).to_have_text("Valid")
    card.get_by_text("Share or download this credential").click()
    link = card.get_by_test_id("share-link").input_value()
    assert link.startswith(f"{live_server.url}/credentials/")
    expect(card.get_by_test_id("share-qr")).to_be_visible()
    assert card.get_by_test_id("share-qr").evaluate("img => img.naturalWidth") > 0
    journey.step("trainee-shares-the-credential")
    journey.log_out()

    # The district nurse, not signed in, opens the link.
    page.goto(link)
    status = page.get_by_test_id("credential-status")
    expect(status).to_have_attribute("data-status", "valid")
    expect(status.locator(".nhsuk-tag")).to_have_text("Valid")
    expect(page.get_by_test_id("credential-subject")).to_have_text("Sam Trainee")
    expect(page.get_by_test_id("credential-achievement")).to_contain_text("Insulin administration")
    expect(page.get_by_test_id("credential-achievement")).to_contain_text("SFHCHS216")
    expect(page.get_by_test_id("credential-facts")).to_contain_text("Acme Mental Health NHS Trust")
    journey.step("signed-out-nurse-sees-it-valid")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    try:
        mobile = phone.new_page()
        mobile.goto(link)
        expect(mobile.get_by_test_id("credential-status")).to_have_attribute("data-status", "valid")
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
        screenshot(mobile, "phone-390px-valid")
    finally:
        phone.close()

    # The sign-off is withdrawn (a "withdrawn" version of the attainment, announced after
    # commit, as the lifecycle feature records it): the same link now says revoked.
    with transaction.atomic():
        record_withdrawal(world.trainee, task)
    page.goto(link)
    status = page.get_by_test_id("credential-status")
    expect(status).to_have_attribute("data-status", "revoked")
    expect(status.locator(".nhsuk-tag")).to_have_text("Revoked")
    expect(status).to_contain_text("no longer stands")
    journey.step("same-link-says-revoked")
