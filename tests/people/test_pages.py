"""The invitation and people pages, through the test client as each person would use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from core.access import SESSION_KEY
from people import services
from people.models import Invitation
from programmes.models import Membership, Role
from trainees import services as trainee_services

LEAD = Role.TRAINING_LEAD
User = get_user_model()
GOOD = {"first_name": "Nia", "last_name": "Okafor", "new_password1": "larch-ward-2026-x",
        "new_password2": "larch-ward-2026-x"}


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def invite(world, email="nia.okafor@example.nhs.uk", role=Role.MENTOR, **kwargs):
    return services.invitation_create(
        organisation=world.organisation, email=email, role=role,
        invited_by=world.person(LEAD), **kwargs,
    )


# --- Inviting -------------------------------------------------------------------------------------


def test_a_lead_invites_from_the_people_page(client_as, world, django_capture_on_commit_callbacks):
    client = client_as(LEAD)
    page = client.get("/people/").content.decode()
    assert 'href="/people/invite/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/invite/", {"email": "Nia.Okafor@example.nhs.uk", "role": "mentor"})
    assert response.status_code == 302 and response["Location"] == "/people/invitations/"
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.email, invitation.role, invitation.invited_by) == (
        world.organisation, "nia.okafor@example.nhs.uk", Role.MENTOR, world.person(LEAD)
    )
    [message] = mail.outbox
    assert message.to == ["nia.okafor@example.nhs.uk"]
    listing = client.get("/people/invitations/").content.decode()
    assert "nia.okafor@example.nhs.uk" in listing and "Pending" in listing


@pytest.mark.parametrize("data, field, message", [
    ({"email": "", "role": "mentor"}, "email", "Enter their email address"),
    ({"email": "not-an-email", "role": "mentor"}, "email", "Enter an email address in the correct format"),
    ({"email": "a@example.org"}, "role", "Choose the role they will have"),
    ({"email": "mentor.acme@example.org", "role": "mentor"}, "email", "already has this role"),
])
def test_bad_invitations_are_shown_next_to_the_field(client_as, world, data, field, message):
    response = client_as(LEAD).post("/people/invite/", data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "nhsuk-error-message" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_address_longer_than_an_invitation_keeps_is_refused_in_nhs_words(client_as, world):
    # Well formed, so the form passes it on; the invitation's own limit refuses it.
    response = client_as(LEAD).post("/people/invite/", {"email": "x" * 250 + "@example.org", "role": "mentor"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Email address must be 254 characters or fewer" in page and "Ensure this value" not in page
    assert not Invitation.objects.exists()


def test_the_outsider_invites_only_into_their_own_organisation(client_as, world):
    response = client_as("outsider").post("/people/invite/", {"email": "a@example.org", "role": "mentor"})
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == world.other_organisation
    acme = invite(world)[0]
    client = client_as("outsider")
    assert client.post(f"/people/invitations/{acme.pk}/withdraw/").status_code == 404
    assert client.post(f"/people/invitations/{acme.pk}/resend/").status_code == 404
    assert client.get("/people/invitations/").content.decode().count("nia.okafor") == 0
    acme.refresh_from_db()
    assert acme.status == Invitation.Status.PENDING


def test_a_lead_invites_a_trainee_from_their_record_and_accepting_links_it(
    client_as, world, client, django_capture_on_commit_callbacks
):
    trainee = trainee_services.trainee_create(
        organisation=world.organisation, actor=world.person(LEAD), first_name="Priya",
        last_name="Shah", employee_number="E2002", email="priya.shah@example.nhs.uk",
    )
    lead = client_as(LEAD)
    assert f'href="/trainees/{trainee.pk}/invite/"' in lead.get(f"/trainees/{trainee.pk}/").content.decode()
    form = lead.get(f"/trainees/{trainee.pk}/invite/")
    assert form.context["form"]["email"].value() == "priya.shah@example.nhs.uk"
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(f"/trainees/{trainee.pk}/invite/", {"email": "priya.shah@example.nhs.uk"})
    assert response["Location"] == f"/trainees/{trainee.pk}/"
    invitation = Invitation.objects.get()
    assert (invitation.trainee, invitation.role) == (trainee, Role.TRAINEE)
    lead.logout()
    # accept through the emailed link
    link = [line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line][0]
    page = client.get(path_of(link))
    assert page.context["form"]["first_name"].value() == "Priya"
    response = client.post(path_of(link), {**GOOD, "first_name": "Priya", "last_name": "Shah"})
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.user.email == "priya.shah@example.nhs.uk"
    assert client.get("/my/record/").status_code == 200


def test_resend_and_withdraw_from_the_list(client_as, world):
    invitation, _ = invite(world)
    client = client_as(LEAD)
    mail.outbox.clear()
    client.post(f"/people/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert invitation.times_sent == 2
    client.post(f"/people/invitations/{invitation.pk}/withdraw/")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    listing = client.get("/people/invitations/").content.decode()
    assert "Withdrawn" in listing and "Send again" not in listing


def test_an_expired_invitation_offers_send_again_not_withdraw(client_as, world):
    invitation, _ = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    listing = client_as(LEAD).get("/people/invitations/").content.decode()
    assert "Expired" in listing
    assert "Send again<" in listing
    assert f"/people/invitations/{invitation.pk}/withdraw/" not in listing


def test_the_invitation_list_costs_the_same_queries_at_5_and_50(client_as, world, django_assert_num_queries):
    client = client_as(LEAD)
    client.get("/people/invitations/")  # warm the session

    def fill(n):
        for i in range(Invitation.objects.count(), n):
            invite(world, email=f"person{i}@example.org", role=Role.MENTOR)

    fill(5)
    # session, user, memberships, count, the page of invitations (with inviter, trainee,
    # accepter joined)
    with django_assert_num_queries(5):
        client.get("/people/invitations/")
    fill(50)
    with django_assert_num_queries(5):
        response = client.get("/people/invitations/")
    assert len(response.context["rows"]) == 25


# --- Accepting ------------------------------------------------------------------------------------


def test_accepting_sets_a_password_signs_in_and_lands_on_the_roles_home(client, world):
    _, link = invite(world)
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Join Ladder as mentor / assessor" in page.content.decode()
    response = client.post(path_of(link), GOOD)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="nia.okafor@example.nhs.uk")
    membership = Membership.objects.get(user=user)
    assert client.session[SESSION_KEY] == membership.pk
    home = client.get("/")
    assert home.status_code == 200
    assert home.templates[0].name == "dashboards/home_mentor.html"
    # and signs in again with the password they chose
    client.logout()
    signed_in = client.post(
        "/account/login/", {"username": "nia.okafor@example.nhs.uk", "password": GOOD["new_password1"]}
    )
    assert signed_in.status_code == 302


@pytest.mark.parametrize("password, message", [
    ("short", "Password must be 10 characters or more"),
    ("password123456", "on a list of common passwords"),
    ("12345678901234", "not only numbers"),
    ("nia.okafor.example", "not like your name or email address"),
])
def test_weak_passwords_are_refused_in_plain_words_and_create_nothing(client, world, password, message):
    _, link = invite(world)
    response = client.post(path_of(link), {**GOOD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert message in errors
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and "nhsuk-error-message" in page
    assert 'value="Nia"' in page  # what they typed is kept
    assert not User.objects.filter(email="nia.okafor@example.nhs.uk").exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


@pytest.mark.parametrize("how, says", [
    ("expired", "has expired"),
    ("used", "already been used"),
    ("withdrawn", "was withdrawn"),
])
def test_an_expired_used_or_withdrawn_link_says_so_and_creates_nothing(client, world, how, says):
    invitation, link = invite(world)
    if how == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif how == "used":
        services.invitation_sign_up(invitation=invitation, first_name="N", last_name="O", password="a-long-passphrase")
    else:
        services.invitation_withdraw(invitation=invitation, actor=world.person(LEAD))
    users, memberships = User.objects.count(), Membership.objects.count()
    for response in (client.get(path_of(link)), client.post(path_of(link), GOOD)):
        assert response.status_code == 410
        assert says in response.content.decode()
        assert "Nothing has been changed." in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert "_auth_user_id" not in client.session


def test_an_unknown_link_is_404_with_a_reason(client, world):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_someone_with_a_login_signs_in_and_the_role_is_added(client, world):
    manager = world.person(Role.MANAGER)
    _, link = invite(world, email=manager.email, role=Role.MENTOR)
    page = client.get(path_of(link)).content.decode()
    assert "Sign in to accept" in page and "Choose a password" not in page
    client.force_login(manager)
    assert "Accept the invitation" in client.get(path_of(link)).content.decode()
    response = client.post(path_of(link))
    assert response["Location"] == "/"
    assert User.objects.filter(email=manager.email).count() == 1
    mentor_role = Membership.objects.get(user=manager, role=Role.MENTOR)
    assert client.session[SESSION_KEY] == mentor_role.pk


def test_a_signed_in_person_cannot_accept_someone_elses_invitation(client_as, world):
    _, link = invite(world)
    client = client_as(Role.LECTURER)
    assert client.get(path_of(link)).status_code == 403
    assert client.post(path_of(link)).status_code == 403
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert not Membership.objects.filter(user=world.person(Role.LECTURER), role=Role.MENTOR).exists()


def test_without_single_sign_on_there_is_no_sso_button_and_its_url_is_404(client, world):
    _, link = invite(world)
    assert "single sign-on" not in client.get(path_of(link)).content.decode().lower()
    response = client.post(path_of(link) + "single-sign-on/")
    assert response.status_code == 404
    assert services.INVITATION_SESSION_KEY not in client.session


# --- People and roles -----------------------------------------------------------------------------


def test_a_lead_gives_and_takes_away_roles_on_a_persons_page(client_as, world):
    mentor = world.person(Role.MENTOR)
    client = client_as(LEAD)
    assert f'href="/people/{mentor.pk}/"' in client.get("/people/").content.decode()
    client.post(f"/people/{mentor.pk}/roles/", {"role": "lecturer"})
    lecturer = Membership.objects.get(user=mentor, role=Role.LECTURER, is_active=True)
    page = client.get(f"/people/{mentor.pk}/").content.decode()
    assert "Lecturer" in page and "Take away" in page
    client.post(f"/people/roles/{lecturer.pk}/take-away/")
    lecturer.refresh_from_db()
    assert not lecturer.is_active


def test_removing_the_last_lead_on_the_page_is_refused_with_the_reason(client_as, world):
    lead = world.person(LEAD)
    client = client_as(LEAD)
    membership = Membership.objects.get(user=lead)
    response = client.post(f"/people/roles/{membership.pk}/take-away/", follow=True)
    assert "last training lead" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_a_lead_deactivates_a_leaver(client_as, world):
    mentor = world.person(Role.MENTOR)
    response = client_as(LEAD).post(f"/people/{mentor.pk}/deactivate/", follow=True)
    assert "login is deactivated" in response.content.decode()
    mentor.refresh_from_db()
    assert not mentor.is_active


def test_the_outsider_cannot_see_or_change_acmes_people(client_as, world):
    mentor = world.person(Role.MENTOR)
    client = client_as("outsider")
    membership = Membership.objects.get(user=mentor)
    assert client.get(f"/people/{mentor.pk}/").status_code == 404
    assert client.post(f"/people/{mentor.pk}/roles/", {"role": "training_lead"}).status_code == 404
    assert client.post(f"/people/roles/{membership.pk}/take-away/").status_code == 404
    assert client.post(f"/people/{mentor.pk}/deactivate/").status_code == 404
    mentor.refresh_from_db()
    assert mentor.is_active
    assert set(Membership.objects.filter(user=mentor, is_active=True).values_list("role", flat=True)) == {"mentor"}


def test_the_people_page_form_sends_trainees_to_their_record(client_as, world):
    response = client_as(LEAD).post("/people/invite/", {"email": "t@example.org", "role": "trainee"})
    errors = " ".join(response.context["form"].errors["role"])
    assert "a trainee is invited from their trainee record" in errors
    assert 'value="trainee"' not in client_as(LEAD).get("/people/invite/").content.decode()
    assert not Invitation.objects.exists()
