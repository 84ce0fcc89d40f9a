"""The subject-access page in the browser: a training lead asks for an export and, without
reloading, watches it go from queued to ready to download (htmx, loaded once by the base
layout, polls the part of the page that shows the exports)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from config.celery import app as celery_app
from programmes.models import Role

from ..conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/account/login/" not in url)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_export_appears_on_the_page_without_a_reload(
    page, live_server, world, screenshot, settings, tmp_path, width
):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, world.person(Role.TRAINING_LEAD).username)
    page.goto(f"{live_server.url}/trainees/{world.trainee.pk}/personal-data/")
    screenshot(page, "personal-data")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    page.get_by_test_id("export-button").click()  # no worker yet: the export waits
    events = page.get_by_test_id("privacy-events")
    expect(events.locator("[data-status=queued]")).to_be_visible()
    screenshot(page, "export-queued")
    navigations.clear()  # the redirect back to the page after asking is expected
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=60):
        expect(page.get_by_test_id("export-download")).to_be_visible(timeout=90_000)
    screenshot(page, "export-ready")
    expect(page.locator("main")).not_to_contain_text("{#")  # no template syntax leaks onto the page
    assert navigations == [], "the page was reloaded; it should have updated in place"
    status = page.get_by_test_id("privacy-status")
    # What depended on the export is up to date too, and the page no longer polls.
    expect(status).not_to_contain_text("An export of their data is being put together")
    assert status.get_attribute("hx-get") is None
