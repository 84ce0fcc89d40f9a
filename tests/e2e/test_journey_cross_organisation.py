"""Across organisations, as the people do it, from a partnership by consent to a credential
anyone can check (issue 14):

Acme's training lead asks Eastvale (a community trust) by its code to partner on a programme;
Eastvale's lead finds the request and accepts; Acme's lead names the task Eastvale's nurses may
assess. Eastvale's district nurse signs off Acme's care worker for insulin administration (the
credential is issued after commit) and delegates the task; the care worker acknowledges it,
opens the credential from their record and copies its link; the ward manager sees what the
worker may be delegated. The nurse, signed out in a browser of her own, opens the link: valid
(and on a 390 px phone, without sideways scrolling). Acme's lead withdraws the sign-off on the
worker's portfolio: the same link now says revoked, and the delegation shows suspended.

Screenshots at 1280 px and 390 px (var/screenshots/<test>/), and axe on every page
(tests/e2e/journey.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from competencies.models import Evidence, RoleProfileItem
from credentials.models import Credential
from delegation.models import Delegation
from programmes import services as programme_services
from programmes.models import Organisation, Partnership, Role

from ..conftest import make_person
from ..delegation.factories import register
from ..evidence.factories import make_competency, make_framework, make_profile, submit
from .journey import Journey, fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def open_menu(journey: Journey, label: str) -> None:
    """Follow a header menu link, opening "More" first when the menu has folded it away."""
    nav = journey.page.get_by_role("navigation", name="Menu")
    link = nav.get_by_role("link", name=label, exact=True)
    # After a resize the header's script folds or unfolds the menu in an animation frame: let
    # it settle, then open "More" only if the link is folded away (waiting for a folded link
    # to show would only time out).
    journey.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    if not link.is_visible():
        nav.get_by_role("button", name="More").click()
    link.click()


def at_both_widths(journey: Journey, name: str) -> None:
    """A step seen at 1280 px, then on a 390 px phone (the page must not scroll sideways)."""
    journey.step(name)
    journey.page.set_viewport_size(PHONE)
    journey.step(f"{name}-390")
    width = journey.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page scrolls sideways on a phone ({width} px)"
    journey.page.set_viewport_size(DESKTOP)


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


def test_partnership_delegation_and_a_credential_checked_then_revoked(
    page, browser, live_server, world, screenshot, settings, joint
):
    settings.LADDER_PUBLIC_URL = live_server.url  # the credential's links point at this server
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
    at_both_widths(journey, "partner-accepted")
    assert Partnership.objects.get(organisation=eastvale).status == Partnership.Status.ACCEPTED
    # Their district nurse's registration, which lets her assess for the partner, is on record.
    open_menu(journey, "People")
    page.get_by_test_id("registrations-link").click()
    expect(page.get_by_test_id("registrations")).to_contain_text("District nurse")
    at_both_widths(journey, "partner-registered-practitioners")
    page.get_by_test_id("registrations").get_by_role("link").first.click()
    expect(page.get_by_label("Registration number")).to_have_value(re.compile(r"^12A\d{4}E$"))
    at_both_widths(journey, "partner-registration-form")
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
    at_both_widths(journey, "signed-off-with-organisation")
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
    delegation_url = page.url
    journey.step("delegated")
    journey.log_out()

    # The care worker acknowledges, then opens the credential and copies its link.
    journey.log_in("trainee.acme")
    open_menu(journey, "Delegated tasks")
    page.get_by_test_id("delegations").get_by_role("link", name="Insulin administration").click()
    journey.step("worker-reads-the-delegation")
    page.get_by_role("button", name="I acknowledge it").click()
    expect(page.get_by_test_id("delegation-status")).to_have_text("Active")
    at_both_widths(journey, "worker-acknowledged")
    assert Delegation.objects.get().status == Delegation.Status.ACTIVE

    open_menu(journey, "Your record")
    page.get_by_test_id("credentials-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your credentials")
    card = page.get_by_test_id("credential")
    expect(card).to_contain_text("Insulin administration")
    expect(card.locator(".nhsuk-tag")).to_have_text("Valid")
    card.get_by_text("Share or download this credential").click()
    expect(card.get_by_test_id("share-qr")).to_be_visible()
    assert card.get_by_test_id("share-qr").evaluate("img => img.naturalWidth") > 0
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    card.get_by_role("button", name="Copy the link").click()
    expect(card).to_contain_text("Link copied.")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == card.get_by_test_id("share-link").input_value()
    assert link.startswith(f"{live_server.url}/credentials/")
    at_both_widths(journey, "worker-shares-the-credential")
    journey.log_out()

    # The ward manager sees what the worker may be delegated.
    journey.log_in("manager.acme")
    open_menu(journey, "Delegated tasks")
    page.get_by_role("link", name="What each worker may be delegated").click()
    expect(page.get_by_test_id("may-be-delegated").first).to_contain_text("Insulin administration")
    at_both_widths(journey, "manager-workers")
    journey.log_out()

    # The nurse, signed out, in a browser of her own, opens the link: valid.
    nurse_browser = browser.new_context(viewport=DESKTOP, locale="en-GB")
    phone = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True)
    try:
        signed_out = nurse_browser.new_page()
        signed_out.goto(link)
        status = signed_out.get_by_test_id("credential-status")
        expect(status).to_have_attribute("data-status", "valid")
        expect(status.locator(".nhsuk-tag")).to_have_text("Valid")
        expect(signed_out.get_by_test_id("credential-subject")).to_have_text("Sam Trainee")
        expect(signed_out.get_by_test_id("credential-achievement")).to_contain_text("Insulin administration")
        expect(signed_out.get_by_test_id("credential-facts")).to_contain_text("Acme Mental Health NHS Trust")
        expect(signed_out.get_by_role("button", name="Log out")).to_have_count(0)
        screenshot(signed_out, "signed-out-nurse-sees-it-valid")
        on_phone = phone.new_page()
        on_phone.goto(link)
        expect(on_phone.get_by_test_id("credential-status")).to_have_attribute("data-status", "valid")
        width = on_phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the public page scrolls sideways on a phone ({width} px)"
        screenshot(on_phone, "signed-out-nurse-sees-it-valid-390")

        # Acme's lead withdraws the sign-off on the worker's portfolio.
        journey.log_in("training_lead.acme")
        page.goto(journey.url(f"/trainees/{world.trainee.pk}/portfolio/"))
        page.get_by_role("link", name="Withdraw the sign-off in Insulin administration").click()
        page.get_by_label("Why the sign-off is withdrawn").fill("Medication incident under review.")
        journey.step("lead-withdraws-the-sign-off")
        page.get_by_role("button", name="Withdraw sign-off").click()
        expect(page.locator(".nhsuk-error-summary")).to_have_count(0)

        # The same link now says revoked, to the signed-out nurse and on the phone.
        signed_out.reload()
        status = signed_out.get_by_test_id("credential-status")
        expect(status).to_have_attribute("data-status", "revoked")
        expect(status.locator(".nhsuk-tag")).to_have_text("Revoked")
        expect(status).to_contain_text("no longer stands")
        screenshot(signed_out, "same-link-says-revoked")
        on_phone.reload()
        expect(on_phone.get_by_test_id("credential-status")).to_have_attribute("data-status", "revoked")
        screenshot(on_phone, "same-link-says-revoked-390")
    finally:
        nurse_browser.close()
        phone.close()
    assert Credential.objects.get(competency=insulin).revoked_at is not None

    # And the delegation shows suspended, with why.
    page.goto(delegation_url)
    expect(page.get_by_test_id("delegation-status")).to_have_text("Suspended")
    expect(page.get_by_role("main")).to_contain_text("withdrawn")
    at_both_widths(journey, "delegation-suspended")
    assert Delegation.objects.get().status == Delegation.Status.SUSPENDED
