"""A training lead sets a framework's validity and marks a delegated task (a mistyped period is
shown by its field), then suspends a credential and a signed-out person checking it sees it
suspended. Screenshots at each step; axe on each page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from competencies.evidence import services as evidence_services
from competencies.evidence.selectors import attainment_for
from competencies.models import Competency
from credentials.models import Credential

from ..credentials.helpers import delegated_task
from ..evidence.factories import make_competency, make_framework, make_profile, sign_off, submit
from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_sets_validity_and_marks_a_delegated_task(page, live_server, world, screenshot):
    framework = make_framework(organisation=world.organisation, short_name="Acme clinical skills")
    parent = make_competency(framework, "Clinical observations", id_number="CS1")
    news = make_competency(framework, "NEWS2", id_number="CS1.1", parent=parent, depth=2)
    bloods = make_competency(framework, "Venepuncture", id_number="CS2")
    make_profile(world.programme, [(news, 1), (bloods, 1)])
    evidence_services.decisions_backdate(
        evidence=sign_off(submit(world.trainee, [bloods], title="Bloods"), {bloods.pk: 1}),
        decided_at=timezone.now() - timedelta(days=200),
    )
    journey = Journey(page, live_server, screenshot)
    journey.log_in("training_lead.acme")
    page.goto(journey.url(reverse("frameworks:detail", args=[framework.pk])))
    journey.step("framework")
    page.get_by_role("link", name="Change validity periods and delegated tasks").click()
    journey.step("validity-form")
    page.get_by_label("How long sign-offs stay valid (months)").fill("36")
    page.get_by_label("Own validity period in months for CS2 Venepuncture").fill("1.5")
    page.get_by_label("Delegated task (CS2)").check()
    page.get_by_role("button", name="Save validity and delegated tasks").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("the period for CS2")
    journey.step("mistyped-period")
    page.get_by_label("Own validity period in months for CS2 Venepuncture").fill("6")
    page.get_by_role("button", name="Save validity and delegated tasks").click()
    expect(page.get_by_text("of which 1 has expired")).to_be_visible()
    journey.step("saved")
    bloods = Competency.objects.get(pk=bloods.pk)
    assert (bloods.reassessment_months, bloods.is_delegated_task) == (6, True)
    assert attainment_for([world.trainee], [bloods])[(world.trainee.pk, bloods.pk)].status == "expired"


def test_a_lead_suspends_a_credential_and_its_check_page_says_so(page, live_server, world, screenshot, browser):
    task = delegated_task(world)
    sign_off(submit(world.trainee, [task], title="Insulin observed"), {task.pk: 1})
    credential = Credential.objects.get(trainee=world.trainee, competency=task)
    journey = Journey(page, live_server, screenshot)
    journey.log_in("training_lead.acme")
    page.goto(journey.url(reverse("credentials:trainee_list", args=[world.trainee.pk])))
    journey.step("credentials")
    page.get_by_role("link", name="Suspend Insulin administration").click()
    journey.step("suspend")
    page.get_by_role("button", name="Suspend credential").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why the credential is suspended")
    journey.step("no-reason")
    page.get_by_label("Why the credential is suspended").fill("An incident is being reviewed.")
    page.get_by_role("button", name="Suspend credential").click()
    expect(page.get_by_test_id("suspension")).to_contain_text("An incident is being reviewed.")
    journey.step("suspended")

    signed_out = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    signed_out.goto(journey.url(reverse("credentials:public", args=[credential.public_id])))
    expect(signed_out.locator('[data-status="suspended"]')).to_be_visible()
    screenshot(signed_out, "checked-signed-out")
    signed_out.context.close()

    page.get_by_role("link", name="Lift the suspension of Insulin administration").click()
    journey.step("lift")
    page.get_by_role("button", name="Lift suspension").click()
    expect(page.get_by_test_id("suspend")).to_be_visible()
    assert Credential.objects.get(pk=credential.pk).suspended_at is None
