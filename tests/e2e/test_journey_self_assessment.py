"""Self-assessment first, as people do it: a trainee rates themself against their whole role
profile in one go; their mentor works through the queue, confirms two, corrects one with a
comment and asks for more evidence on another; the matrix then shows the trainee's own rating
beside the confirmed level. Screenshots at 1280 px and 390 px; axe on every step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from competencies.models import AssessmentPolicy, AttainmentDecision, RoleProfileItem, SelfAssessment

from ..evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile
from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATEMENT = "I have observed the trainee do this safely on at least three occasions."


@pytest.fixture
def profile(world):
    national = make_framework(short_name="Care Certificate", version="2025")
    own = make_framework(organisation=world.organisation, short_name="Acme AP competencies", levels=FOUR_LEVELS)
    comps = [
        make_competency(national, "Physical health observations", id_number="CC10"),
        make_competency(national, "Infection prevention and control", id_number="CC15"),
        make_competency(own, "Escalating a deteriorating patient", id_number="AP3"),
        make_competency(own, "Venepuncture", id_number="AP4"),
    ]
    make_profile(
        world.programme,
        [
            (comps[0], 1, RoleProfileItem.Kind.CORE),
            (comps[1], 1, RoleProfileItem.Kind.CORE),
            (comps[2], 2, RoleProfileItem.Kind.ROLE_SPECIFIC),
            (comps[3], 2, RoleProfileItem.Kind.ROLE_SPECIFIC),
        ],
    )
    AssessmentPolicy.objects.create(
        organisation=world.organisation,
        assessor_statement=STATEMENT,
        trainee_declaration="These ratings are my honest view of my own practice.",
    )
    return comps


def _narrow(journey: Journey, name: str) -> None:
    page = journey.page
    page.set_viewport_size({"width": 390, "height": 844})
    journey.step(f"{name}-390px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_trainee_self_assesses_and_the_mentor_confirms_corrects_and_asks(
    page, live_server, world, profile, screenshot
):
    journey = Journey(page, live_server, screenshot)
    cc10, cc15, ap3, ap4 = profile

    # The trainee rates themself against the whole profile from their home page.
    journey.log_in("trainee.acme")
    page.get_by_test_id("self-assess-link").click()
    assert journey.heading() == "Rate yourself"
    journey.step("trainee-self-assessment-empty")
    for competency, level, note in (
        (cc10, "Competent", "I do full sets of observations every shift."),
        (cc15, "Competent", ""),
        (ap3, "Level 4", "I escalated a NEWS2 of 7 on my own."),
        (ap4, "Level 3", "Done under supervision twice."),
    ):
        group = page.get_by_role("group", name=re.compile(re.escape(f"{competency.id_number} {competency.short_name}")))
        group.get_by_label(level, exact=True).check()
        if note:
            page.get_by_label(f"How confident you feel: {competency.id_number}").fill(note)
    journey.step("trainee-self-assessment-filled")
    _narrow(journey, "trainee-self-assessment-filled")
    page.get_by_role("button", name="Send to my assessor").click()
    assert journey.heading() == "Your portfolio"
    expect(page.locator(".nhsuk-notification-banner, .nhsuk-inset-text, body").first).to_contain_text(
        "You rated yourself in 4 competencies"
    )
    journey.step("trainee-portfolio-rated")
    assert SelfAssessment.objects.filter(trainee=world.trainee, status="pending").count() == 4
    journey.log_out()

    # The mentor works through the queue, oldest first, moving on to the next each time.
    journey.log_in("mentor.acme")
    page.get_by_test_id("queue-link").click()
    assert journey.heading() == "Your assessment queue"
    expect(page.get_by_test_id("queue-item")).to_have_count(4)
    journey.step("mentor-queue")
    _narrow(journey, "mentor-queue")
    page.get_by_role("link", name=str(cc10)).click()
    assert journey.heading() == str(cc10)
    journey.step("mentor-self-assessment")
    _narrow(journey, "mentor-self-assessment")

    def confirm(level: str | None = None, comment: str = ""):
        form = page.get_by_test_id("confirm-form")
        if level:
            form.get_by_label(level, exact=True).check()
        if comment:
            form.get_by_label("Comment for the trainee").fill(comment)
        form.get_by_label(re.compile("^I confirm")).check()
        form.get_by_role("button", name="Confirm").click()

    confirm()  # CC10 at the trainee's own level
    assert journey.heading() == str(cc15)
    confirm()  # CC15 too
    assert journey.heading() == str(ap3)
    # AP3 lower, without a comment first: the error next to the field, nothing lost.
    confirm("Level 3")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why you confirm a lower level")
    journey.step("mentor-correction-needs-a-comment")
    confirm("Level 3", "Escalates well but not yet alone on nights.")
    assert journey.heading() == str(ap4)
    more = page.get_by_test_id("more-evidence-form")
    more.get_by_label("What evidence the trainee should add").fill("A witness testimony from the phlebotomy lead.")
    more.get_by_role("button", name="Ask for more evidence").click()
    assert journey.heading() == "Your assessment queue"
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    journey.step("mentor-queue-done")

    kinds = dict(AttainmentDecision.objects.exclude(kind="self_rated").values_list("competency__id_number", "kind"))
    assert kinds == {"CC10": "confirmed", "CC15": "confirmed", "AP3": "corrected"}
    assert set(AttainmentDecision.objects.exclude(kind="self_rated").values_list("statement", flat=True)) == {STATEMENT}
    assert SelfAssessment.objects.get(competency=ap4).status == "more_evidence"

    # The matrix: the confirmed level with the trainee's own rating beside it.
    page.goto(journey.url(f"/cohorts/{world.cohort.pk}/matrix/"))
    matrix = page.get_by_test_id("matrix")
    row = matrix.get_by_test_id("matrix-row").filter(has_text=world.trainee.last_name)
    expect(row).to_contain_text("self 4")  # AP3: confirmed 3 / 3, self-rated Level 4
    expect(row).to_contain_text("self 3")  # AP4: nothing confirmed, self-rated Level 3
    journey.step("mentor-matrix-both-ratings")
    _narrow(journey, "mentor-matrix-both-ratings")
    page.goto(journey.url(f"/trainees/{world.trainee.pk}/portfolio/"))
    expect(page.get_by_test_id("portfolio-profile")).to_contain_text("Self-assessment confirmed at a lower level")
    journey.step("mentor-portfolio")
    _narrow(journey, "mentor-portfolio")
