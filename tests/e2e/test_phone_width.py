"""At a phone's width (390 px) no page scrolls sideways: not with a 76-letter unbroken name,
not the case-study preview with its tables and charts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import Role
from trainees import services as trainee_services

from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswes"[:76]


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_76_letter_name_does_not_widen_the_phone_layout(phone, live_server, world, screenshot):
    assert len(LONG_NAME) == 76
    lead = world.person(Role.TRAINING_LEAD)
    trainee = trainee_services.trainee_create(
        organisation=world.organisation,
        actor=lead,
        first_name="Ann",
        last_name=LONG_NAME,
        employee_number="E7676",
        clinical_area=world.ward,
        line_manager=world.person(Role.MANAGER),
    )
    trainee_services.enrolment_create(
        trainee=trainee, cohort=world.cohort, actor=lead, status="active"
    )
    journey = Journey(phone, live_server, screenshot)
    journey.log_in("training_lead.acme")
    for name, path in (
        ("trainee", reverse("trainees:detail", kwargs={"pk": trainee.pk})),
        ("cohort", reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk})),
        ("trainees", reverse("trainees:list")),
    ):
        phone.goto(journey.url(path))
        expect(phone.get_by_text(LONG_NAME).first).to_be_visible()
        journey.step(f"long-name-{name}")
        assert _page_width(phone) <= PHONE["width"], name


def test_the_case_study_preview_fits_a_phone(phone, live_server, world, screenshot):
    journey = Journey(phone, live_server, screenshot)
    journey.log_in("planner.acme")
    phone.goto(
        journey.url(
            reverse("reports:case_study_preview", kwargs={"programme_pk": world.programme.pk})
        )
    )
    journey.step("case-study-preview")
    assert _page_width(phone) <= PHONE["width"]
