"""A trainee submits evidence against two competencies from two frameworks, their mentor signs
it off, and the cohort progress matrix shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from competencies.models import RoleProfileItem

from ..conftest import PASSWORD
from ..evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def profile(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    national = make_framework(short_name="Care Certificate", version="2025")
    own = make_framework(
        organisation=world.organisation, short_name="Acme AP competencies", levels=FOUR_LEVELS
    )
    observations = make_competency(national, "Physical health observations", id_number="CC10")
    escalation = make_competency(own, "Escalating a deteriorating patient", id_number="AP3")
    make_profile(
        world.programme,
        [
            (observations, 1, RoleProfileItem.Kind.CORE),
            (escalation, 2, RoleProfileItem.Kind.ROLE_SPECIFIC),
        ],
    )
    return observations, escalation


def test_trainee_submits_mentor_signs_off_and_the_matrix_shows_it(
    page, live_server, world, profile, screenshot
):
    observations, escalation = profile

    # The trainee adds evidence from their portfolio.
    log_in(page, live_server, "trainee.acme")
    page.goto(f"{live_server.url}/my/portfolio/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your portfolio"
    assert page.get_by_test_id("portfolio-summary").inner_text().startswith("0 of 2")
    screenshot(page, "trainee-portfolio-empty")
    page.get_by_role("button", name="Add evidence").click()

    page.get_by_label("Title").fill("Observations and escalation on Larch Ward")
    page.get_by_label("Observation", exact=True).check()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What you did and what it shows").fill(
        "I recorded a full set of observations, found a NEWS2 of 5 and escalated to the nurse in charge."
    )
    page.get_by_label("CC10 Physical health observations").check()
    page.get_by_label("AP3 Escalating a deteriorating patient").check()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "observation-chart.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    screenshot(page, "trainee-evidence-form")
    page.get_by_role("button", name="Submit evidence").click()

    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Observations and escalation on Larch Ward"
    )
    assert "was submitted" in page.locator(".nhsuk-notification-banner").inner_text()
    assert page.get_by_test_id("evidence-status").inner_text() == "Waiting for assessment"
    expect(
        page.get_by_test_id("files").get_by_role("link", name="observation-chart.pdf")
    ).to_be_visible()
    claims = page.get_by_test_id("claims")
    expect(claims.get_by_text("Care Certificate (2025)")).to_be_visible()
    expect(claims.get_by_text("Acme AP competencies")).to_be_visible()
    screenshot(page, "trainee-evidence-submitted")
    page.get_by_role("button", name="Log out").click()

    # The mentor finds it waiting for them, and signs it off at a level for each competency.
    log_in(page, live_server, "mentor.acme")
    page.goto(f"{live_server.url}/evidence/")
    listed = page.get_by_test_id("evidence-list")
    expect(listed.get_by_text("Waiting for you")).to_be_visible()
    screenshot(page, "mentor-evidence-list")
    listed.get_by_role("link", name="Observations and escalation on Larch Ward").click()

    form = page.get_by_test_id("sign-off-form")
    form.get_by_role("group", name=re.compile("Physical health observations")).get_by_label(
        "Competent", exact=True
    ).check()
    form.get_by_role("group", name=re.compile("Escalating a deteriorating patient")).get_by_label(
        "Level 3", exact=True
    ).check()
    form.get_by_label("Feedback for the trainee").fill("Timely, clear escalation. Well done.")
    screenshot(page, "mentor-sign-off-form")
    form.get_by_role("button", name="Sign off evidence").click()

    assert page.get_by_test_id("evidence-status").inner_text() == "Signed off"
    expect(
        page.get_by_test_id("thread").get_by_text("Timely, clear escalation. Well done.")
    ).to_be_visible()
    expect(page.get_by_test_id("claims").get_by_text("Level 3")).to_be_visible()
    screenshot(page, "mentor-signed-off")

    # The cohort progress matrix shows both targets met for the trainee.
    page.goto(f"{live_server.url}/cohorts/{world.cohort.pk}/matrix/")
    matrix = page.get_by_test_id("matrix")
    row = matrix.get_by_test_id("matrix-row").filter(has_text="Sam Trainee")
    cells = [text.replace("\u2009", "") for text in row.locator("td").all_text_contents()]
    assert cells[:2] == [
        "2/2 \u2713, met",
        "3/3 \u2713, met",
    ]  # the visually hidden text is text too
    assert row.get_by_test_id("row-total").inner_text().replace("\u2009", "") == "2/2"
    assert [
        t.replace("\u2009", "") for t in matrix.get_by_test_id("column-total").all_inner_texts()
    ] == ["1/1", "1/1"]
    screenshot(page, "mentor-matrix")
