"""How expiring, expired and below-target competence looks: the mentor's evidence page with its
two actions, the homes that list what is expiring, the portfolio and the matrix. Screenshots at
1280 px and 390 px; axe on each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from competencies.assessment import services as assessment
from competencies.evidence import services as evidence_services
from competencies.models import RoleProfileItem
from programmes.models import Role

from ..evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit
from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _both(journey: Journey, name: str) -> None:
    journey.step(name)
    journey.page.set_viewport_size({"width": 390, "height": 844})
    journey.step(f"{name}-390px")
    journey.page.set_viewport_size({"width": 1280, "height": 900})


def test_expiring_expired_withdrawn_and_progress_read_truthfully(page, live_server, world, screenshot):
    framework = make_framework(short_name="Delegated healthcare tasks", levels=FOUR_LEVELS)
    bloods = make_competency(framework, "Venepuncture", id_number="DT1", is_delegated_task=True)
    ecg = make_competency(framework, "Recording a 12-lead ECG", id_number="DT2", is_delegated_task=True)
    catheter = make_competency(framework, "Catheter care", id_number="DT3", is_delegated_task=True)
    obs = make_competency(framework, "Observations", id_number="DT4")
    make_profile(world.programme, [(c, 2, RoleProfileItem.Kind.ROLE_SPECIFIC) for c in (bloods, ecg, catheter, obs)])
    now = timezone.now()
    evidence_services.decisions_backdate(
        evidence=sign_off(submit(world.trainee, [bloods], title="Bloods"), {bloods.pk: 2}),
        decided_at=now - timedelta(days=340),
    )
    evidence_services.decisions_backdate(
        evidence=sign_off(submit(world.trainee, [ecg], title="ECG"), {ecg.pk: 3}), decided_at=now - timedelta(days=400)
    )
    sign_off(submit(world.trainee, [catheter], title="Catheter"), {catheter.pk: 2})
    assessment.attainment_withdraw(
        trainee=world.trainee, competency=catheter, actor=world.person(Role.MENTOR), reason="Incident on Larch Ward"
    )
    waiting = submit(world.trainee, [obs], title="Observations on Larch")

    journey = Journey(page, live_server, screenshot)
    journey.log_in("mentor.acme")
    expect(page.get_by_test_id("expiring")).to_contain_text("Venepuncture")
    expect(page.get_by_test_id("expiring")).to_contain_text("Expired")
    _both(journey, "mentor-home-expiring")
    page.goto(journey.url(f"/evidence/{waiting.pk}/"))
    page.get_by_test_id("sign-off-form").get_by_label("Level 2").check()
    page.get_by_role("button", name="Sign off evidence").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("record progress")
    journey.step("mentor-sign-off-refused-below-target")
    page.get_by_test_id("sign-off-form").get_by_label("Level 2").check()
    page.get_by_role("button", name="Record progress: not yet at target").click()
    expect(page.get_by_test_id("evidence-status")).to_have_text("Progress recorded: not yet at target")
    _both(journey, "mentor-progress-recorded")
    page.goto(journey.url(f"/trainees/{world.trainee.pk}/portfolio/"))
    portfolio = page.get_by_test_id("portfolio-profile")
    for text in ("Expiring", "Expired", "Withdrawn", "Not yet at target"):
        expect(portfolio).to_contain_text(text)
    _both(journey, "mentor-portfolio-statuses")
    page.goto(journey.url(f"/cohorts/{world.cohort.pk}/matrix/"))
    expect(page.get_by_test_id("matrix")).to_contain_text("Expired")
    expect(page.get_by_test_id("matrix")).to_contain_text("Withdrawn")
    _both(journey, "mentor-matrix-statuses")
    journey.log_out()
    journey.log_in("trainee.acme")
    expect(page.get_by_test_id("expiring")).to_contain_text("Venepuncture")
    _both(journey, "trainee-home-expiring")
