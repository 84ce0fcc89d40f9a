"""Across organisations, as the people do it: Acme's training lead asks Eastvale (a community
trust) by its code to partner on a programme; Eastvale's lead finds the request and accepts;
Acme's lead names the task Eastvale's nurses may assess; Eastvale's district nurse signs off
Acme's care worker's evidence for insulin administration and delegates the task to them; the
care worker acknowledges it. Screenshots at 1280 px and 390 px; axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from competencies.models import Evidence, RoleProfileItem
from delegation.models import Delegation
from programmes import services as programme_services
from programmes.models import Organisation, Partnership, Role

from ..conftest import make_person
from ..delegation.factories import register
from ..evidence.factories import make_competency, make_framework, make_profile, submit
from .journey import Journey, fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_menu(journey: Journey, label: str) -> None:
    """Follow a header menu link, opening "More" first when the menu has folded it away."""
    nav = journey.page.get_by_role("navigation", name="Menu")
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        nav.get_by_role("button", name="More").click()
    link.click()


@pytest.fixture
def joint(world):
    eastvale = programme_services.organisation_ensure(
        slug="eastvale", name="Eastvale Community Health NHS Trust", kind=Organisation.Kind.NHS_TRUST
    )
    make_person(eastvale, Role.TRAINING_LEAD, "lead.eastvale")
    nurse = make_person(eastvale, Role.MENTOR, "nurse.eastvale")
    register(nurse, eastvale)
    framework = make_framework(short_name="Delegated healthcare tasks")
    insulin = make_competency(
        framework, "Insulin administration", id_number="DHT1", is_delegated_task=True, reassessment_months=12
    )
    make_profile(world.programme, [(insulin, 1, RoleProfileItem.Kind.ROLE_SPECIFIC)])
    evidence = submit(
        world.trainee, [insulin], title="Insulin by pen, observed",
        occurred_on=timezone.localdate() - timedelta(days=2),
    )
    return eastvale, insulin, evidence


def test_a_partnership_by_consent_then_a_partner_nurse_signs_off_and_delegates(
    page, live_server, world, screenshot, joint
):
    eastvale, insulin, evidence = joint
    journey = Journey(page, live_server, screenshot)
    today = timezone.localdate()

    # Acme's lead asks Eastvale, by its code.
    journey.log_in("training_lead.acme")
    page.goto(journey.url(f"/programmes/{world.programme.pk}/"))
    page.get_by_test_id("manage-partnerships").click()
    assert journey.heading() == "Partner organisations"
    page.get_by_label("Organisation's exact name or code").fill("eastvale")
    page.get_by_label("What would they do on the programme?").fill(
        "District nurses assess and delegate insulin administration."
    )
    journey.step("lead-asks-eastvale")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("partnerships")).to_contain_text("Waiting for an answer")
    journey.step("request-sent")
    journey.log_out()

    # Eastvale's lead finds it and accepts.
    journey.log_in("lead.eastvale")
    open_menu(journey, "Partnerships")
    page.get_by_test_id("to-answer").get_by_role("link", name=world.programme.title).click()
    journey.step("partner-reads-the-request")
    page.get_by_role("button", name="Accept the partnership").click()
    expect(page.get_by_test_id("partnership-status")).to_have_text("Accepted")
    journey.step("partner-accepted")
    assert Partnership.objects.get(organisation=eastvale).status == Partnership.Status.ACCEPTED
    journey.log_out()

    # Acme's lead names the task Eastvale's nurses may assess.
    journey.log_in("training_lead.acme")
    open_menu(journey, "Partnerships")
    page.get_by_test_id("as-lead").get_by_role("link", name=world.programme.title).click()
    page.get_by_role("link", name="Choose the competencies they may assess").click()
    page.get_by_label("DHT1 Insulin administration (delegated healthcare task)").check()
    journey.step("lead-names-the-task")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("named-competencies")).to_contain_text("Insulin administration")
    journey.log_out()

    # Eastvale's district nurse signs off Acme's care worker, then delegates the task.
    journey.log_in("nurse.eastvale")
    open_menu(journey, "Delegated tasks")
    page.get_by_role("link", name="Assessing for partners").click()
    journey.step("nurse-assessments")
    page.get_by_role("link", name="Insulin by pen, observed").click()
    page.get_by_label("Competent", exact=True).check()
    page.get_by_label("Feedback for the trainee").fill("Safe technique; checks glucose first.")
    journey.step("nurse-signs-off")
    page.get_by_role("button", name="Sign off evidence").click()
    expect(page.get_by_test_id("assessed-by")).to_contain_text("Eastvale Community Health NHS Trust")
    journey.step("signed-off-with-organisation")
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SIGNED_OFF and evidence.assessor_organisation == eastvale

    open_menu(journey, "Delegated tasks")
    page.get_by_role("button", name="Delegate a task").click()
    page.get_by_label("Care worker and task").select_option(index=1)
    page.get_by_label("Setting or service").fill("Larch Ward: residents with diabetes")
    fill_date(page, "From", today)
    page.get_by_label("Remote: the practitioner reachable by phone").check()
    page.get_by_label("Supervision arrangement").fill("Phone the district nursing hub; weekly visit.")
    fill_date(page, "Review date", today + timedelta(days=90))
    journey.step("nurse-delegates")
    page.get_by_role("button", name="Delegate").click()
    expect(page.get_by_test_id("delegation-status")).to_have_text("Waiting for the care worker to acknowledge")
    journey.step("delegated")
    journey.log_out()

    # The care worker acknowledges.
    journey.log_in("trainee.acme")
    open_menu(journey, "Delegated tasks")
    page.get_by_test_id("delegations").get_by_role("link", name="Insulin administration").click()
    journey.step("worker-reads-the-delegation")
    page.get_by_role("button", name="I acknowledge it").click()
    expect(page.get_by_test_id("delegation-status")).to_have_text("Active")
    page.set_viewport_size({"width": 390, "height": 844})
    journey.step("worker-acknowledged-390")
    assert Delegation.objects.get().status == Delegation.Status.ACTIVE
    journey.log_out()

    # The ward manager sees what the worker may be delegated.
    page.set_viewport_size({"width": 1280, "height": 900})
    journey.log_in("manager.acme")
    open_menu(journey, "Delegated tasks")
    page.get_by_role("link", name="What each worker may be delegated").click()
    expect(page.get_by_test_id("may-be-delegated").first).to_contain_text("Insulin administration")
    journey.step("manager-workers")
    page.set_viewport_size({"width": 390, "height": 844})
    journey.step("manager-workers-390")
