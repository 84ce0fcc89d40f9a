"""People in: a training lead invites a mentor from the People page and a trainee through the
enrolment CSV import; each opens the link from their email, sets a password, signs in with it,
and does one piece of their job: the trainee signs their learning contract, the mentor signs
off that trainee's evidence.

The emails are read from Django's test outbox (the live server runs in this process). Every page
is screenshotted at 1280 px (and the new pages at 390 px) and checked with axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from competencies.models import Evidence, RoleProfileItem
from people.models import Invitation
from programmes.models import Membership, Role
from trainees.models import ContractSignature, Trainee

from ..evidence.factories import make_competency, make_framework, make_profile, submit
from .journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MENTOR_EMAIL = "nia.okafor@example.nhs.uk"
TRAINEE_EMAIL = "priya.shah@example.nhs.uk"
MENTOR_PASSWORD = "larch-ward-assessor-26"  # noqa: S105 (typed by the person in the test)
TRAINEE_PASSWORD = "observations-daily-26"  # noqa: S105


@pytest.fixture(autouse=True)
def _links_point_at_the_live_server(settings, live_server):
    settings.LADDER_BASE_URL = live_server.url


@pytest.fixture
def observations(world):
    national = make_framework(short_name="Care Certificate", version="2025")
    competency = make_competency(national, "Physical health observations", id_number="CC10")
    make_profile(world.programme, [(competency, 1, RoleProfileItem.Kind.CORE)])
    return competency


def link_in_email_to(address: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [address]]
    [link] = re.findall(r"https?://\S+/invitations/\S+/", message.body)
    return link


def log_in(journey: Journey, username: str, password: str) -> None:
    page = journey.page
    page.goto(journey.url("/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def narrow(journey: Journey, name: str) -> None:
    """A screenshot at a phone's width (390 px), then back to the desktop width."""
    journey.page.set_viewport_size({"width": 390, "height": 844})
    journey.screenshot(journey.page, f"{name}-390px")
    journey.page.set_viewport_size({"width": 1280, "height": 900})


def accept(journey: Journey, link: str, first: str, last: str, password: str, step: str) -> None:
    page = journey.page
    page.goto(link)
    journey.step(f"{step}-invitation")
    narrow(journey, f"{step}-invitation")
    # A too-short password first: Django's validator, as an NHS.UK error by the field; the
    # name they typed stays.
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type the password again").fill("short")
    page.get_by_role("button", name="Create my login").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Password must be 10 characters or more")
    expect(page.locator(".nhsuk-error-message").first).to_contain_text("10 characters or more")
    expect(page.get_by_label("First name")).to_have_value(first)
    journey.step(f"{step}-password-refused")
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Create my login").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Welcome to Ladder")


def test_a_lead_invites_a_mentor_and_a_trainee_who_join_and_do_their_jobs(
    page, live_server, world, observations, screenshot, tmp_path
):
    journey = Journey(page, live_server, screenshot)

    # The lead invites a mentor from the People page.
    journey.log_in("training_lead.acme")
    page.goto(journey.url("/people/"))  # "People" sits in the menu's "More" at this width
    assert journey.heading() == "People"
    journey.step("lead-people")
    page.get_by_role("button", name="Invite someone").or_(
        page.get_by_role("link", name="Invite someone")
    ).first.click()
    assert journey.heading() == "Invite someone to Ladder"
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter their email address")
    journey.step("lead-invite-refused-empty")
    page.get_by_label("Email address").fill(MENTOR_EMAIL)
    page.get_by_label("Mentor / assessor").check()
    journey.step("lead-invite-filled")
    page.get_by_role("button", name="Send invitation").click()
    assert journey.heading() == "Invitations"
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"Invitation sent to {MENTOR_EMAIL} as mentor / assessor"
    )
    expect(page.get_by_test_id("invitations")).to_contain_text("Pending")
    journey.step("lead-invitations")
    narrow(journey, "lead-invitations")
    journey.log_out()

    # The mentor opens the link in their email and sets a password; they land on their home.
    accept(journey, link_in_email_to(MENTOR_EMAIL), "Nia", "Okafor", MENTOR_PASSWORD, "mentor")
    assert journey.heading() == "Evidence to assess"
    journey.step("mentor-home-first-time")
    journey.log_out()

    # The lead imports a starter from a CSV file, with her email and the new mentor.
    journey.log_in("training_lead.acme")
    page.goto(journey.url(f"/cohorts/{world.cohort.pk}/import/"))
    csv_path = tmp_path / "starters.csv"
    csv_path.write_text(
        "employee_number,first_name,last_name,email,band,job_title,ward,line_manager,mentor,"
        "enrolled_on,status\r\n"
        f"N20001,Priya,Shah,{TRAINEE_EMAIL},3,Senior HCSW,Larch Ward,manager.acme,"
        f"{MENTOR_EMAIL},2026-01-05,active\r\n",
        encoding="utf-8",
    )
    page.locator("input[type=file][name=file]").set_input_files(csv_path)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.get_by_test_id("import-preview")).to_contain_text("Priya")
    expect(page.get_by_role("main")).to_contain_text("will be invited to Ladder when the import is done")
    journey.step("lead-import-preview")
    assert not Invitation.objects.filter(email=TRAINEE_EMAIL).exists()  # not before it commits
    page.get_by_role("button", name="Import 1 trainee").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("1 trainee enrolled")
    expect(page.get_by_role("main")).to_contain_text("Invited to Ladder")
    journey.step("lead-import-done")
    page.goto(journey.url("/people/"))
    page.get_by_role("link", name="Invitations sent").click()
    expect(page.get_by_test_id("invitations")).to_contain_text("Linked to the trainee record of Priya Shah")
    expect(page.get_by_test_id("invitations")).to_contain_text("Accepted")
    journey.step("lead-invitations-after-import")
    journey.log_out()

    # The trainee joins from her email and signs her learning contract.
    accept(journey, link_in_email_to(TRAINEE_EMAIL), "Priya", "Shah", TRAINEE_PASSWORD, "trainee")
    assert journey.heading() == "Your training record"
    due = page.get_by_test_id("due-list")
    expect(due).to_contain_text("Sign your learning contract")
    journey.step("trainee-home-first-time")
    journey.log_out()
    log_in(journey, TRAINEE_EMAIL, TRAINEE_PASSWORD)  # her own password works
    assert journey.heading() == "Your training record"
    page.get_by_test_id("due-list").get_by_role("link", name="Sign your learning contract").click()
    journey.step("trainee-contract")
    page.get_by_role("button", name="Sign as trainee").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "You signed the learning contract"
    )
    journey.step("trainee-signed-contract")
    journey.log_out()

    priya = Trainee.objects.get(employee_number="N20001")
    assert priya.user.email == TRAINEE_EMAIL
    assert ContractSignature.objects.filter(
        contract__enrolment__trainee=priya, signed_by=priya.user, party="trainee"
    ).exists()
    # Her evidence, submitted through the same service her portfolio page uses.
    evidence = submit(priya, [observations], title="Observations on Larch Ward")

    # The mentor signs in with the password she chose and signs off Priya's evidence.
    log_in(journey, MENTOR_EMAIL, MENTOR_PASSWORD)
    assert journey.heading() == "Evidence to assess"
    due = page.get_by_test_id("due-list")
    expect(due).to_contain_text("Observations on Larch Ward")
    journey.step("mentor-home-evidence-due")
    due.get_by_role("link", name=re.compile("Observations on Larch Ward")).click()
    form = page.get_by_test_id("sign-off-form")
    form.get_by_role("group", name=re.compile("Physical health observations")).get_by_label(
        "Competent", exact=True
    ).check()
    form.get_by_label("Feedback for the trainee").fill("Clear, complete observations. Well done.")
    journey.step("mentor-sign-off-form")
    form.get_by_role("button", name="Sign off evidence").click()
    expect(page.get_by_test_id("evidence-status")).to_have_text("Signed off")
    journey.step("mentor-signed-off")

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SIGNED_OFF
    nia = Membership.objects.get(user__email=MENTOR_EMAIL, organisation=world.organisation).user
    assert (nia.get_full_name(), nia.get_username()) == ("Nia Okafor", MENTOR_EMAIL)
    assert priya.mentor == nia
    assert Membership.objects.get(user=nia).role == Role.MENTOR
    assert set(Invitation.objects.values_list("email", "accepted_by__email")) == {
        (MENTOR_EMAIL, MENTOR_EMAIL), (TRAINEE_EMAIL, TRAINEE_EMAIL),
    }


def test_a_lead_manages_roles_and_a_used_link_says_so(page, live_server, world, screenshot):
    journey = Journey(page, live_server, screenshot)
    mentor = world.person(Role.MENTOR)
    from people import services

    invitation, link = services.invitation_create(
        organisation=world.organisation, email=mentor.email, role=Role.LECTURER,
        invited_by=world.person(Role.TRAINING_LEAD),
    )
    services.invitation_accept(invitation=invitation, user=mentor)

    page.goto(link)
    expect(page.get_by_test_id("invitation-reason")).to_contain_text("already been used")
    journey.step("used-link")

    journey.log_in("training_lead.acme")
    page.goto(journey.url("/people/"))
    page.get_by_test_id("people").get_by_role("link", name="Mentor Acme").first.click()
    assert journey.heading() == "Mentor Acme"
    expect(page.get_by_test_id("roles")).to_contain_text("Lecturer")
    page.get_by_label("Give another role").select_option("planner")
    page.get_by_role("button", name="Give role").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Mentor Acme is now workforce planner."
    )
    journey.step("person-role-given")
    narrow(journey, "person-role-given")
    page.get_by_role("button", name="Take away the lecturer role").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "is no longer lecturer"
    )
    journey.step("person-role-taken-away")

    # The lead's own page: taking away the only lead role is refused with the reason.
    page.goto(journey.url(f"/people/{world.person(Role.TRAINING_LEAD).pk}/"))
    page.get_by_role("button", name="Take away the training lead role").click()
    expect(page.get_by_role("main")).to_contain_text("is the last training lead")
    journey.step("last-lead-refused")
    assert Membership.objects.get(user=world.person(Role.TRAINING_LEAD)).is_active
