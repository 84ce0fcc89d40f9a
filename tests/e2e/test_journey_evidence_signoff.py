"""The whole evidence journey, as the people do it: a trainee adds evidence from their portfolio,
their mentor finds it due on their home page and returns it with what to change, the trainee
finds that on their own home page, changes and resubmits it, the mentor signs it off at a
level for each competency, and the trainee sees it signed off in their portfolio.

Every page is screenshotted and checked with axe (tests/e2e/journey.py)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from competencies.models import Evidence, RoleProfileItem

from ..evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile
from .journey import Journey, choose_files, fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TITLE = "Observations and escalation on Larch Ward"


@pytest.fixture
def role_profile(world):
    national = make_framework(short_name="Care Certificate", version="2025")
    own = make_framework(
        organisation=world.organisation, short_name="Acme AP competencies", levels=FOUR_LEVELS
    )
    observations = make_competency(national, "Physical health observations", id_number="CC10")
    escalation = make_competency(own, "Escalating a deteriorating patient", id_number="AP3")
    make_profile(world.programme, [
        (observations, 1, RoleProfileItem.Kind.CORE),
        (escalation, 2, RoleProfileItem.Kind.ROLE_SPECIFIC),
    ])


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 94, 184)).save(out, format="PNG")
    return out.getvalue()


def test_a_trainee_adds_evidence_and_their_mentor_signs_it_off(
    page, live_server, world, role_profile, screenshot
):
    journey = Journey(page, live_server, screenshot)

    # The trainee: their contract to sign is due, no evidence yet; the portfolio shows 0 of 2
    # competencies met.
    journey.log_in("trainee.acme")
    assert journey.heading() == "Your training record"
    expect(page.get_by_test_id("due-list")).to_contain_text("Sign your learning contract")
    expect(page.get_by_test_id("due-list")).not_to_contain_text(TITLE)
    journey.step("trainee-home")
    journey.menu("Your portfolio")
    assert journey.heading() == "Your portfolio"
    expect(page.get_by_test_id("portfolio-summary")).to_contain_text("0 of 2")
    journey.step("trainee-portfolio-empty")

    page.get_by_role("button", name="Add evidence").click()
    assert journey.heading() == "Add evidence"
    journey.step("trainee-evidence-form-empty")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Observation", exact=True).check()
    fill_date(page, "Date", date(2026, 3, 2))
    page.get_by_label("What you did and what it shows").fill(
        "I recorded a full set of observations and found a NEWS2 of 5."
    )
    page.get_by_label("CC10 Physical health observations").check()
    page.get_by_label("AP3 Escalating a deteriorating patient").check()
    # Saved as a draft first: it is listed with their evidence and on their home page.
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("link", name="Your evidence").click()
    expect(page.get_by_test_id("evidence-draft")).to_contain_text(TITLE)
    journey.step("trainee-evidence-with-a-draft")
    journey.menu("Home")
    drafts = page.get_by_test_id("drafts")
    expect(drafts).to_contain_text(TITLE)
    journey.step("trainee-home-with-a-draft")
    drafts.get_by_role("link", name=re.compile(TITLE)).click()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    choose_files(
        page, "Attach files",
        [{"name": "observation-chart.pdf", "mimeType": "application/pdf", "buffer": PDF},
         {"name": "chart-photo.png", "mimeType": "image/png", "buffer": _photo()}],
    )
    expect(page.get_by_role("button", name=re.compile("^Attach files"))).to_contain_text("2 files")
    journey.step("trainee-evidence-form-filled")
    page.get_by_role("button", name="Submit evidence").click()

    assert journey.heading() == TITLE
    expect(page.get_by_test_id("evidence-status")).to_have_text("Waiting for assessment")
    files = page.get_by_test_id("files")
    expect(files.get_by_role("link", name="observation-chart.pdf")).to_be_visible()
    expect(page.get_by_test_id("evidence-photo")).to_be_visible()  # the photo shown inline
    assert page.get_by_test_id("evidence-photo").evaluate("img => img.complete && img.naturalWidth > 0")
    journey.step("trainee-evidence-submitted")
    journey.log_out()

    # The mentor: the evidence is due on their home page; they return it with what to change.
    journey.log_in("mentor.acme")
    assert journey.heading() == "Evidence to assess"
    due = page.get_by_test_id("due-list")
    expect(due).to_contain_text(TITLE)
    journey.step("mentor-home-evidence-due")
    due.get_by_role("link", name=re.compile(TITLE)).click()
    assert journey.heading() == TITLE
    journey.step("mentor-evidence-to-assess")
    page.get_by_label("What the trainee needs to change").fill(
        "Say what you did after finding the NEWS2 of 5: who you told, and when."
    )
    page.get_by_role("button", name="Return to Sam").click()
    expect(page.get_by_test_id("evidence-status")).to_have_text(re.compile("Returned"))
    journey.step("mentor-returned")
    journey.log_out()

    # The trainee finds it returned on their home page, changes it and resubmits.
    journey.log_in("trainee.acme")
    due = page.get_by_test_id("due-list")
    expect(due).to_contain_text(TITLE)
    expect(due).to_contain_text("who you told, and when")
    journey.step("trainee-home-evidence-returned")
    due.get_by_role("link", name=re.compile(TITLE)).click()
    expect(page.get_by_test_id("thread")).to_contain_text("who you told, and when")
    journey.step("trainee-reads-the-return")
    page.get_by_role("button", name="Change and resubmit").click()
    assert journey.heading() == "Change your evidence"
    description = page.get_by_label("What you did and what it shows")
    description.fill(
        description.input_value() + " I told the nurse in charge straight away, at 14:10."
    )
    page.get_by_label("What you changed").fill("Added who I escalated to, and when.")
    journey.step("trainee-changing-evidence")
    page.get_by_role("button", name=re.compile("^(Resubmit|Save)")).click()
    expect(page.get_by_test_id("evidence-status")).to_have_text("Waiting for assessment")
    journey.step("trainee-resubmitted")
    journey.log_out()

    # The mentor signs it off at a level for each competency.
    journey.log_in("mentor.acme")
    page.get_by_test_id("due-list").get_by_role("link", name=re.compile(TITLE)).click()
    form = page.get_by_test_id("sign-off-form")
    form.get_by_role("group", name=re.compile("Physical health observations")).get_by_label(
        "Competent", exact=True
    ).check()
    form.get_by_role("group", name=re.compile("Escalating a deteriorating patient")).get_by_label(
        "Level 3", exact=True
    ).check()
    form.get_by_label("Feedback for the trainee").fill("Timely, clear escalation. Well done.")
    journey.step("mentor-sign-off-form")
    form.get_by_role("button", name="Sign off evidence").click()
    expect(page.get_by_test_id("evidence-status")).to_have_text("Signed off")
    expect(page.get_by_test_id("claims").get_by_text("Level 3")).to_be_visible()
    journey.step("mentor-signed-off")
    journey.menu("Home")
    expect(page.get_by_role("main")).not_to_contain_text(TITLE)
    journey.step("mentor-home-after-sign-off")
    journey.log_out()

    # The trainee's portfolio counts both competencies met.
    journey.log_in("trainee.acme")
    journey.menu("Your portfolio")
    expect(page.get_by_test_id("portfolio-summary")).to_contain_text("2 of 2")
    journey.step("trainee-portfolio-signed-off")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_test_id("thread")).to_contain_text("Timely, clear escalation. Well done.")
    journey.step("trainee-reads-the-feedback")

    evidence = Evidence.objects.get(title=TITLE)
    assert evidence.status == Evidence.Status.SIGNED_OFF
    assert "14:10" in evidence.description
