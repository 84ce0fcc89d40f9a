"""Single sign-on in Chromium: the login page's button, the provider's own sign-in form (a real
OpenID Connect provider on 127.0.0.1), back to Ladder and the person's home page; a stranger is
told why they are not let in. Screenshots at 1280 px and 390 px."""

from __future__ import annotations

import copy

import pytest
from playwright.sync_api import expect

from config.oidc_issuer import origin_of
from programmes.models import Role

from ..sso.provider import running_provider
from .axe import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings, own_cache):  # own_cache: no discovery document of another test's provider
    with running_provider() as running:
        settings.OIDC_ISSUER = running.issuer
        settings.OIDC_CLIENT_ID = "ladder-e2e"
        settings.OIDC_CLIENT_SECRET = "not-a-real-secret"  # noqa: S105
        settings.OIDC_LOGIN_LABEL = "Sign in with NHSmail"
        # As config/settings.py does when OIDC_ISSUER is set at start-up.
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(origin_of(running.issuer))
        settings.CONTENT_SECURITY_POLICY = policy
        yield running


def _sign_in_at_provider(page, sub: str) -> None:
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_mentor_signs_in_with_nhsmail_and_a_stranger_is_told_why_not(
    page, live_server, world, provider, screenshot
):
    mentor = world.person(Role.MENTOR)
    provider.add_person("nhsmail-mentor", email=mentor.email, email_verified=True)
    provider.add_person("nhsmail-stranger", email="someone.else@nhs.net", email_verified=True)

    page.goto(f"{live_server.url}/")
    button = page.get_by_role("button", name="Sign in with NHSmail")
    expect(button).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()  # passwords still work beside it
    assert_accessible(page)
    screenshot(page, "login-with-sso-button")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "login-with-sso-button-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    button.click()
    assert page.url.startswith(provider.issuer)  # at the identity provider's own page
    _sign_in_at_provider(page, "nhsmail-mentor")

    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("header").get_by_text("Mentor").first).to_be_visible()
    screenshot(page, "mentor-home-after-sso")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Sign in with NHSmail").click()
    _sign_in_at_provider(page, "nhsmail-stranger")

    page.wait_for_url(f"{live_server.url}/account/sso/callback/*")
    reason = page.locator("#sso-refused-reason")
    assert "Ladder has no login or invitation for someone.else@nhs.net" in reason.inner_text()
    assert "Ask your training lead to invite you" in reason.inner_text()
    expect(page.get_by_role("link", name="Go back to the sign-in page")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "stranger-refused")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "stranger-refused-390")


def test_an_invited_person_accepts_through_single_sign_on_and_starts_in_the_new_role(
    page, live_server, world, provider, screenshot
):
    from people.services import invitation_create

    _, link = invitation_create(
        organisation=world.organisation,
        email="nia.okafor@nhs.net",
        role=Role.MENTOR,
        invited_by=world.person(Role.TRAINING_LEAD),
    )
    provider.add_person(
        "nhsmail-nia",
        email="Nia.Okafor@nhs.net",
        email_verified=True,
        given_name="Nia",
        family_name="Okafor",
    )

    page.goto(live_server.url + link[link.index("/invitations/") :])
    button = page.get_by_role("button", name="Sign in with NHSmail")
    expect(button).to_be_visible()
    assert_accessible(page)
    screenshot(page, "invitation-with-sso")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "invitation-with-sso-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    button.click()
    _sign_in_at_provider(page, "nhsmail-nia")

    page.wait_for_url(f"{live_server.url}/")
    header = page.locator("header")
    expect(header.get_by_text("Nia Okafor")).to_be_visible()
    expect(header.get_by_text("Mentor / assessor, Acme Mental Health NHS Trust")).to_be_visible()
    screenshot(page, "new-mentor-home")
