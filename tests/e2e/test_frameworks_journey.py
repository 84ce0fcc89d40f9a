"""A training lead imports a Moodle competency framework through the browser: upload, check
the preview, confirm, and browse the tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from competencies.frameworks.bundled import load_bundled_frameworks
from competencies.models import Framework

from ..conftest import PASSWORD
from ..moodle_files import fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def choose_file(page, file) -> None:
    # The NHS.UK file upload turns the input into a drop zone with a "Choose file" button.
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Moodle competency framework file").click()
    chooser.value.set_files(file)


def test_a_training_lead_imports_a_moodle_framework_and_browses_it(
    page, live_server, world, screenshot
):
    load_bundled_frameworks()
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/frameworks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Competency frameworks"
    care = page.get_by_test_id("framework-family").filter(has_text="Care Certificate")
    assert care.get_by_test_id("competency-count").all_inner_texts() == ["16", "15"]
    screenshot(page, "frameworks-list-national")

    page.get_by_role("button", name="Import a Moodle framework").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import a competency framework"
    screenshot(page, "import-form")

    # A broken file first: every problem with its line, nothing imported.
    broken = fixture("chain_ordered.csv")
    text = broken.read_text(encoding="utf-8").replace("\n1,1.1,", "\nMISSING,1.1,")
    choose_file(page, {"name": "broken.csv", "mimeType": "text/csv", "buffer": text.encode()})
    page.get_by_role("button", name="Upload and check the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    problems = page.get_by_test_id("import-problem")
    assert problems.count() == 1
    assert "Parent ID number 'MISSING'" in problems.first.inner_text()
    assert (
        problems.first.locator("td").first.inner_text() == "4"
    )  # header, framework, Personal care, here
    assert Framework.objects.filter(organisation=world.organisation).count() == 0
    screenshot(page, "import-problems")

    choose_file(page, str(fixture("scales_per_competency.csv")))
    page.get_by_role("button", name="Upload and check the file").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Check the framework before importing it"
    )
    assert page.get_by_test_id("preview-name").inner_text() == "HCSW role template"
    assert page.get_by_test_id("preview-count").inner_text().startswith("7 in all")
    tree = page.get_by_test_id("preview-tree")
    assert "HCSW-2026-C1" in tree.inner_text()
    assert "HCSW-2026-C1-L4" in tree.inner_text()
    assert Framework.objects.filter(organisation=world.organisation).count() == 0
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Import", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "HCSW role template"
    expect(
        page.locator(".nhsuk-notification-banner--success").get_by_text(
            "HCSW role template was imported with 7 competencies."
        )
    ).to_be_visible()
    framework = Framework.objects.get(organisation=world.organisation)
    assert framework.organisation == world.organisation
    competencies = page.get_by_test_id("competency")
    assert competencies.count() == 7
    # Nested: the levels sit inside C1's list item.
    c1 = page.locator('[data-id-number="HCSW-2026-C1"]')
    assert c1.locator('[data-id-number="HCSW-2026-C1-L1-P1_I1"]').count() == 1
    # Descriptions are shown as text: the file's HTML is not rendered.
    expect(c1.get_by_text("Essential parts").first).to_be_visible()
    assert page.locator("h5").count() == 0
    assert "Proficient" in page.get_by_test_id("scale").inner_text()
    screenshot(page, "framework-tree")

    # Cross-references link within the page.
    c1.get_by_test_id("cross-references").first.get_by_role("link").first.click()
    assert page.url.endswith(
        f"#competency-{framework.competencies.get(id_number='HCSW-2026-C1-L1').pk}"
    )

    # The list now has it, with its count; the download gives the Moodle file back.
    page.goto(f"{live_server.url}/frameworks/")
    row = page.get_by_test_id("framework-row").filter(has_text="HCSW role template")
    assert row.get_by_test_id("competency-count").inner_text() == "7"
    screenshot(page, "frameworks-list")
    page.goto(f"{live_server.url}/frameworks/{framework.pk}/")
    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename == "HCSW-2026.csv"
    assert Path(download.path()).read_bytes() == fixture("scales_per_competency.csv").read_bytes()

    # A national framework: the KSF's dimensions, each with its four levels.
    page.goto(f"{live_server.url}/frameworks/")
    page.get_by_role("link", name="NHS Knowledge and Skills Framework").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "NHS Knowledge and Skills Framework (2004)"
    )
    hwb4 = page.locator('[data-id-number="KSF-HWB4"]')
    assert hwb4.get_by_test_id("competency").count() == 4
    expect(
        hwb4.get_by_text("Enable people to meet ongoing health and wellbeing needs")
    ).to_be_visible()
    expect(
        page.get_by_test_id("licence").get_by_text("Crown copyright", exact=False)
    ).to_be_visible()
    screenshot(page, "ksf-tree")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_file_nested_3000_deep_is_refused_on_the_form_with_the_line(
    page, live_server, world, screenshot, width
):
    from ..frameworks.test_interpret_and_refuse import deep_tree

    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/frameworks/import/")
    deep = deep_tree(3000).encode()
    choose_file(page, {"name": "deep.csv", "mimeType": "text/csv", "buffer": deep})
    page.get_by_role("button", name="Upload and check the file").click()

    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    problem = page.get_by_test_id("import-problem")
    expect(problem).to_have_count(1)
    expect(problem.locator("td").first).to_have_text("Line 53")  # its heading, shown on a phone
    expect(problem).to_contain_text("'L51' is nested 51 levels deep")
    expect(problem).to_contain_text("at most 50 levels deep")
    screenshot(page, f"deep-tree-refused-{width}")
    assert not Framework.objects.filter(organisation=world.organisation).exists()
