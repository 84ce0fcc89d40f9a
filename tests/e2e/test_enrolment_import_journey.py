"""A training lead enrols trainees from a CSV file: example, a mistake, the fix, the preview,
the import, and the trainees on the cohort page. A big file shows the progress bar."""

from __future__ import annotations

import re

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from config.celery import app as celery_app
from trainees.enrolment_import import tasks  # noqa: F401 (registers the task with the worker)

from ..conftest import PASSWORD
from ..trainee_import.conftest import own_queue  # noqa: F401 (a fixture)
from ..trainee_import.helpers import good_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in_as_training_lead(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("training_lead.acme")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_training_lead_imports_trainees_from_a_csv_file(
    page, live_server, world, screenshot, tmp_path
):
    log_in_as_training_lead(page, live_server)
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/")
    page.get_by_role("button", name="Import trainees from a CSV file").or_(
        page.get_by_role("link", name="Import trainees from a CSV file")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import trainees from a CSV file")
    expect(page.get_by_test_id("import-columns").get_by_text("employee_number")).to_be_visible()
    screenshot(page, "upload-page")

    with page.expect_download() as download:
        page.get_by_test_id("example-link").click()
    example_path = tmp_path / "example.csv"
    download.value.save_as(example_path)
    example = example_path.read_text(encoding="utf-8-sig")
    assert example.startswith("employee_number,first_name,last_name,")

    # Saved from Excel as plain "CSV" rather than "CSV UTF-8": refused, with how to fix it.
    latin1_path = tmp_path / "starters-latin-1.csv"
    latin1_path.write_bytes(example.replace("Grace", "Zoë").encode("latin-1"))
    page.locator("input[type=file][name=file]").set_input_files(latin1_path)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The file is not UTF-8 encoded: line 4 has a character Ladder cannot read (byte 0xEB)."
    )
    screenshot(page, "upload-refused-encoding")

    # A file with two mistakes: a typo in a ward, and a band that does not exist.
    lines = example.splitlines()
    bad = [
        lines[0],
        lines[1].replace("Larch Ward", "Larch Wrd"),
        lines[2].replace("Band 2", "Band 12"),
        lines[3],
    ]
    bad_path = tmp_path / "starters-with-mistakes.csv"
    bad_path.write_text("\r\n".join(bad) + "\r\n", encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(bad_path)
    page.get_by_role("button", name="Upload and check").click()
    errors = page.get_by_test_id("import-problems")
    expect(errors.locator("tbody tr")).to_have_count(2)
    screenshot(page, "upload-refused-rows")
    # The title changes when the refused page has loaded: wait for it, never read it mid-load.
    expect(page).to_have_title(re.compile(r"^Error:"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("2 rows of the file have problems")
    assert errors.locator("tbody tr").nth(0).inner_text().startswith("2\t")
    assert "Did you mean “Larch Ward”?" in errors.locator("tbody tr").nth(0).inner_text()
    assert errors.locator("tbody tr").nth(1).inner_text().startswith("3\t“Band 12” is not")

    good_path = tmp_path / "starters.csv"
    good_path.write_text(example, encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(good_path)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    preview = page.get_by_test_id("import-preview")
    expect(preview.locator("tbody tr")).to_have_count(3)
    expect(preview.get_by_text("New trainee")).to_have_count(3)
    screenshot(page, "preview")

    page.get_by_role("button", name="Import 3 trainees").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("Trainees imported")
    expect(page.get_by_test_id("import-result")).to_contain_text("3 trainees enrolled on Cohort 1")
    screenshot(page, "imported")

    page.get_by_test_id("cohort-link").click()
    trainees = page.get_by_test_id("cohort-trainees")
    for name in ("Priya Shah", "Tom Okafor", "Grace Mensah", "Sam Trainee"):
        expect(trainees.get_by_text(name).first).to_be_visible()
    screenshot(page, "cohort-page")


def test_a_big_import_shows_its_progress_and_then_the_result(
    page,
    live_server,
    world,
    screenshot,
    tmp_path,
    own_queue,  # noqa: F811
):
    rows = 250
    path = tmp_path / "big.csv"
    path.write_bytes(good_csv(rows))
    log_in_as_training_lead(page, live_server)
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/import/")
    page.locator("input[type=file][name=file]").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text(f"With {rows} rows, the import runs in the background")).to_be_visible()
    screenshot(page, "big-preview")

    with start_worker(
        celery_app,
        perform_ping_check=False,
        loglevel="WARNING",
        queues=[own_queue],
        shutdown_timeout=60,
    ):
        page.get_by_role("button", name=f"Import {rows} trainees").first.click()
        expect(page.get_by_test_id("import-progress")).to_be_visible()
        # The job is queued, then checks the file again, then writes every row at once (the
        # bulk path: all or nothing), so the panel says where it is rather than a row count.
        expect(page.get_by_test_id("import-progress-text")).to_contain_text(
            re.compile(r"Waiting for the import to start|Checking the file again|Imported \d+ of")
        )
        screenshot(page, "big-progress")
        # When the job ends, htmx reloads the page, which shows the result.
        page.get_by_test_id("import-result").wait_for(timeout=rows * 1000)
    expect(page.get_by_test_id("import-result")).to_contain_text(
        f"{rows} trainees enrolled on Cohort 1"
    )
    screenshot(page, "big-imported")
