"""Invitations: made by a lead, accepted once through the emailed link, refused when expired,
used or withdrawn, and never across organisations."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from people import selectors, services
from people.models import Invitation
from programmes.models import Membership, Role
from trainees import services as trainee_services

LEAD = Role.TRAINING_LEAD
User = get_user_model()


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def invite(world, email="new.mentor@example.nhs.uk", role=Role.MENTOR, **kwargs):
    return services.invitation_create(
        organisation=world.organisation, email=email, role=role,
        invited_by=world.person(LEAD), **kwargs,
    )


@pytest.fixture
def new_trainee(world):
    return trainee_services.trainee_create(
        organisation=world.organisation, actor=world.person(LEAD), first_name="Priya",
        last_name="Shah", employee_number="E2002", email="Priya.Shah@example.nhs.uk",
    )


# --- Creating -------------------------------------------------------------------------------------


def test_invitation_stores_only_the_hash_of_the_link_and_emails_it_after_commit(
    world, django_capture_on_commit_callbacks, settings
):
    settings.LADDER_BASE_URL = "https://ladder.example.nhs.uk"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation, link = invite(world, email="  New.Mentor@Example.NHS.uk ")
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    token = token_of(link)
    assert link == f"https://ladder.example.nhs.uk/invitations/{token}/"
    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert invitation.email == "new.mentor@example.nhs.uk"
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    [message] = mail.outbox
    assert message.to == ["new.mentor@example.nhs.uk"]
    assert link in message.body
    assert "Mentor / assessor".lower() in message.body


def test_trainees_invited_together_each_get_their_own_link_and_its_expiry_in_words(
    world, new_trainee, django_capture_on_commit_callbacks, settings
):
    settings.LADDER_BASE_URL = "https://ladder.example.nhs.uk"
    other = trainee_services.trainee_create(
        organisation=world.organisation, actor=world.person(LEAD), first_name="Kim",
        last_name="Lee", employee_number="E2003", email="kim.lee@example.nhs.uk",
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations = services.invitations_create_for_trainees(
            organisation=world.organisation, trainees=[new_trainee, other], invited_by=world.person(LEAD))
    messages = {message.to[0]: message.body for message in mail.outbox}
    assert set(messages) == {"priya.shah@example.nhs.uk", "kim.lee@example.nhs.uk"}
    for invitation in invitations:
        body = messages[invitation.email]
        [link] = [line for line in body.splitlines() if line.startswith("https://")]
        assert link == f"https://ladder.example.nhs.uk/invitations/{token_of(link)}/"
        assert invitation.token_hash == hashlib.sha256(token_of(link).encode()).hexdigest()
        until = date_format(timezone.localtime(invitation.expires_at), "j F Y, H:i")
        assert f"The link works once, until {until}." in body


def test_invitation_days_come_from_the_setting(world, settings):
    settings.INVITATION_DAYS = 2
    invitation, _ = invite(world)
    assert timedelta(days=1, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=2)


def test_a_lead_cannot_invite_into_another_organisation(world):
    with pytest.raises(ValidationError, match="Only a training lead of Other"):
        services.invitation_create(
            organisation=world.other_organisation, email="x@example.org", role=Role.MENTOR,
            invited_by=world.person(LEAD),
        )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MENTOR, Role.PLANNER, Role.TRAINEE])
def test_only_a_training_lead_invites(world, role):
    with pytest.raises(ValidationError, match="Only a training lead"):
        services.invitation_create(
            organisation=world.organisation, email="x@example.org", role=Role.MENTOR,
            invited_by=world.person(role),
        )


def test_a_trainee_of_another_organisation_cannot_be_linked(world):
    with pytest.raises(ValidationError, match="not in your organisation"):
        invite(world, role=Role.TRAINEE, trainee=world.other_trainee)


def test_a_second_pending_invitation_for_the_same_address_and_role_is_refused(world):
    invite(world)
    with pytest.raises(ValidationError) as caught:
        invite(world, email="NEW.MENTOR@example.nhs.uk")
    assert "already been invited" in caught.value.message_dict["email"][0]
    invite(world, role=Role.LECTURER)  # another role is another invitation


def test_someone_who_already_has_the_role_is_not_invited(world):
    with pytest.raises(ValidationError) as caught:
        invite(world, email="mentor.acme@example.org")
    assert "already has this role" in caught.value.message_dict["email"][0]


def test_a_trainee_record_with_a_login_is_not_invited(world):
    with pytest.raises(ValidationError) as caught:
        invite(world, email="sam@example.org", role=Role.TRAINEE, trainee=world.trainee)
    assert "already has a Ladder login" in caught.value.message_dict["email"][0]


# --- Accepting ------------------------------------------------------------------------------------


def test_signing_up_makes_a_login_grants_the_role_and_marks_it_accepted(world):
    invitation, _ = invite(world)
    membership = services.invitation_sign_up(
        invitation=invitation, first_name="Nia", last_name="Okafor", password="a-long-passphrase",
    )
    user = membership.user
    assert (user.username, user.email, user.get_full_name()) == (
        "new.mentor@example.nhs.uk", "new.mentor@example.nhs.uk", "Nia Okafor"
    )
    assert user.check_password("a-long-passphrase")
    assert (membership.organisation, membership.role, membership.is_active) == (
        world.organisation, Role.MENTOR, True
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user
    # Attributable: the membership and the invitation's acceptance, with the person as actor
    entry = LogEntry.objects.get_for_object(membership).get()
    assert entry.actor == user


def test_an_existing_login_gets_the_role_added_instead_of_a_second_account(world):
    manager = world.person(Role.MANAGER)
    invitation, _ = invite(world, email=manager.email.upper(), role=Role.MENTOR)
    users_before = User.objects.count()
    membership = services.invitation_accept(invitation=invitation, user=manager)
    assert User.objects.count() == users_before
    assert membership.user == manager
    assert set(Membership.objects.active().filter(user=manager).values_list("role", flat=True)) == {
        Role.MANAGER, Role.MENTOR,
    }
    with pytest.raises(ValidationError, match="already have a Ladder login"):
        other, _ = invite(world, email=manager.email, role=Role.LECTURER)
        services.invitation_sign_up(invitation=other, first_name="A", last_name="B", password="x" * 12)


def test_accepting_a_trainee_invitation_links_the_login_to_the_record(world, new_trainee):
    invitation, _ = invite(world, email=new_trainee.email, role=Role.TRAINEE, trainee=new_trainee)
    membership = services.invitation_sign_up(
        invitation=invitation, first_name="Priya", last_name="Shah", password="a-long-passphrase",
    )
    new_trainee.refresh_from_db()
    assert new_trainee.user == membership.user
    assert membership.role == Role.TRAINEE
    link_entry = LogEntry.objects.get_for_object(new_trainee).latest("timestamp")
    assert link_entry.actor == membership.user
    assert "user" in link_entry.changes_dict


@pytest.mark.parametrize("how, says", [
    ("expired", "has expired"),
    ("used", "already been used"),
    ("withdrawn", "was withdrawn"),
])
def test_an_expired_used_or_withdrawn_invitation_is_refused_and_creates_nothing(world, how, says):
    invitation, _ = invite(world)
    if how == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "used":
        services.invitation_sign_up(
            invitation=invitation, first_name="N", last_name="O", password="a-long-passphrase"
        )
    else:
        services.invitation_withdraw(invitation=invitation, actor=world.person(LEAD))
    users, memberships = User.objects.count(), Membership.objects.count()
    with pytest.raises(ValidationError, match=says):
        services.invitation_accept(invitation=invitation, user=world.person(Role.LECTURER))
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not Membership.objects.filter(user=world.person(Role.LECTURER), role=Role.MENTOR).exists()


# --- Resending and withdrawing --------------------------------------------------------------------


def test_resending_makes_a_new_link_and_the_old_one_stops_working(world):
    invitation, old_link = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    mail.outbox.clear()
    invitation, new_link = services.invitation_resend(invitation=invitation, actor=world.person(LEAD))
    assert new_link != old_link
    assert selectors.invitation_for_token(token_of(old_link)) is None
    assert selectors.invitation_for_token(token_of(new_link)) == invitation
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.times_sent == 2


def test_an_accepted_invitation_cannot_be_resent_or_withdrawn(world):
    invitation, _ = invite(world, email="manager.acme@example.org", role=Role.LECTURER)
    services.invitation_accept(invitation=invitation, user=world.person(Role.MANAGER))
    with pytest.raises(ValidationError, match="accepted"):
        services.invitation_resend(invitation=invitation, actor=world.person(LEAD))
    with pytest.raises(ValidationError, match="accepted"):
        services.invitation_withdraw(invitation=invitation, actor=world.person(LEAD))


def test_the_outsider_cannot_resend_or_withdraw(world):
    invitation, _ = invite(world)
    with pytest.raises(ValidationError):
        services.invitation_resend(invitation=invitation, actor=world.outsider)
    with pytest.raises(ValidationError):
        services.invitation_withdraw(invitation=invitation, actor=world.outsider)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING and invitation.times_sent == 1


# --- Selectors ------------------------------------------------------------------------------------


def test_pending_invitation_for_email_is_the_newest_pending_one_whatever_the_case(world):
    assert selectors.pending_invitation_for_email("nobody@example.org") is None
    older, _ = invite(world, role=Role.LECTURER)
    newer, _ = invite(world, role=Role.MENTOR)
    withdrawn, _ = invite(world, role=Role.PLANNER)
    services.invitation_withdraw(invitation=withdrawn, actor=world.person(LEAD))
    assert selectors.pending_invitation_for_email("NEW.Mentor@example.nhs.uk ") == newer
    services.invitation_withdraw(invitation=newer, actor=world.person(LEAD))
    assert selectors.pending_invitation_for_email("new.mentor@example.nhs.uk") == older


def test_invitations_are_visible_only_to_the_organisations_leads(world):
    invite(world)
    lead = Membership.objects.get(user=world.person(LEAD))
    assert selectors.invitations_visible_to(lead).count() == 1
    for role in (Role.MANAGER, Role.PLANNER, Role.MENTOR, Role.TRAINEE):
        assert not selectors.invitations_visible_to(Membership.objects.get(user=world.person(role))).exists()
    assert not selectors.invitations_visible_to(Membership.objects.get(user=world.outsider)).exists()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_signing_up_at_once_make_one_login_and_the_second_is_told_it_was_used(world):
    import threading

    from django.db import connection

    invitation, _ = invite(world)
    results: dict[str, object] = {}
    first_inside = threading.Event()
    release = threading.Event()
    real_accept = services.invitation_accept

    def slow_accept(**kwargs):
        # The first tab holds the invitation's lock while the second one arrives.
        if threading.current_thread().name == "first":
            first_inside.set()
            release.wait(10)
        return real_accept(**kwargs)

    def tab(name):
        try:
            results[name] = services.invitation_sign_up(
                invitation=invitation, first_name="Nia", last_name="Okafor",
                password="a-long-passphrase",
            )
        except ValidationError as error:
            results[name] = error
        finally:
            connection.close()

    services.invitation_accept = slow_accept
    try:
        first = threading.Thread(target=tab, args=("first",), name="first")
        second = threading.Thread(target=tab, args=("second",), name="second")
        first.start()
        assert first_inside.wait(10)
        second.start()
        second.join(0.5)
        assert second.is_alive()  # waiting on the lock, not racing to make a second login
        release.set()
        first.join(10)
        second.join(10)
    finally:
        services.invitation_accept = real_accept
    assert isinstance(results["first"], Membership)
    assert isinstance(results["second"], ValidationError)
    assert "already been used" in " ".join(results["second"].messages)
    assert User.objects.filter(email="new.mentor@example.nhs.uk").count() == 1
