"""Reports in the browser: a manager asks for the cohort progress report from the progress
matrix and watches the job page update by itself until the download appears; a planner makes
an export from the export page and a mistake on the form is explained next to the field."""

from __future__ import annotations

import io

import pytest
from celery.contrib.testing.worker import start_worker
from openpyxl import load_workbook
from playwright.sync_api import expect

from config.celery import app as celery_app

from ..conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_manager_gets_the_cohort_progress_report_from_the_matrix(page, live_server, world, screenshot, tmp_path):
    log_in(page, live_server, "manager.acme")
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/matrix/")
    screenshot(page, "matrix-with-the-report-button")
    page.get_by_role("button", name="Produce the cohort progress report (PDF)").click()
    progress = page.get_by_test_id("job-progress")
    expect(progress).to_have_attribute("data-status", "queued")  # no worker yet
    expect(progress).to_contain_text("waiting for a worker")
    screenshot(page, "job-queued")
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=60):
        # htmx polls the progress partial: the page changes without a reload.
        expect(page.get_by_test_id("download")).to_be_visible(timeout=60_000)
    expect(progress).to_contain_text("Your report is ready")
    screenshot(page, "job-done")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    saved = tmp_path / "cohort.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename.startswith("cohort-progress-")


def test_a_planner_exports_the_organisations_data(page, live_server, world, screenshot, tmp_path):
    log_in(page, live_server, "planner.acme")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("button", name="Export data (CSV or Excel)").or_(
        page.get_by_role("link", name="Export data (CSV or Excel)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export data for workforce planning")
    for box in page.locator("input[name=datasets]").all():
        box.uncheck()
    page.get_by_role("button", name="Make the export").click()
    expect(page.locator(".nhsuk-error-message")).to_contain_text("Choose at least one table to export.")
    screenshot(page, "export-form-error")
    page.get_by_label("Cohorts and their outcomes").check()
    page.get_by_label("Excel workbook (.xlsx)").check()
    with start_worker(celery_app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=60):
        page.get_by_role("button", name="Make the export").click()
        expect(page.get_by_test_id("download")).to_be_visible(timeout=60_000)
    screenshot(page, "export-done")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(io.BytesIO(saved.read_bytes()))["cohorts"]
    assert sheet["C2"].value == "Cohort 1"
