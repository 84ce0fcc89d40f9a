"""A training lead makes an API token on their account page (shown once), revokes it, and
reads the API docs: Swagger UI served from Ladder's own static files under the strict CSP."""

from __future__ import annotations

import pytest

from api.models import ApiToken

from .test_login_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_makes_and_revokes_a_token_and_reads_the_api_docs(
    page, live_server, world, screenshot
):
    refused = []  # anything the Content Security Policy blocked, or any failed request
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))
    page.on("requestfailed", lambda request: refused.append(f"failed: {request.url}"))
    log_in(page, live_server, "training_lead.acme")

    page.locator("header").get_by_role("link", name="Your account").click()
    page.get_by_role("main").get_by_role("link", name="API tokens").click()
    assert page.get_by_role("heading", level=1).inner_text() == "API tokens"
    page.get_by_label("What is the token for?").fill("ESR cohort feed")
    page.get_by_role("button", name="Make token").click()
    key = page.get_by_test_id("token-key").inner_text()
    assert key.startswith("ldr_")
    screenshot(page, "token-made")
    row = page.get_by_test_id("tokens").get_by_role("row", name="ESR cohort feed")
    assert "Never" in row.inner_text()

    page.goto(f"{live_server.url}/account/tokens/")
    assert key not in page.content()  # shown once only
    page.get_by_test_id("tokens").get_by_role("button", name="Revoke ESR cohort feed").click()
    assert "is revoked" in page.locator("body").inner_text()
    assert ApiToken.objects.get().revoked_at is not None
    screenshot(page, "token-revoked")

    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Ladder API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag", has_text="programmes").first.wait_for()
    page.screenshot(path=str(screenshot(page, "api-docs").with_name("04-api-docs-top.png")))
    assert not refused, refused
