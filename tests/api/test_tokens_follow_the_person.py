"""Tokens and passwords follow the person (issue 12, item 4): a password change or reset revokes
the person's API tokens, and says so; so does every other way of changing a password (the Django
admin, manage.py changepassword, set_password and save), and nothing else does; a role taken
away takes its tokens with it for good; reset requests are throttled per address and per client
address (in Redis, as in production)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.tokens import token_create
from programmes import services
from programmes.models import Membership, Role
from tests.conftest import PASSWORD

from .conftest import client_with_token, token_for

NEW_PASSWORD = "a-quite-different-phrase-42"  # noqa: S105


@pytest.fixture(autouse=True)
def _empty_cache(own_cache):
    """The reset throttle's counts live in the shared cache (Redis): each test starts with none."""


def _works(key: str) -> bool:
    return client_with_token(key).get("/api/v1/trainees/").status_code == 200


# --- Password change and reset ----------------------------------------------------------------


def test_changing_a_password_revokes_the_persons_tokens_and_says_so(client_as, world):
    lead = world.person(Role.TRAINING_LEAD)
    keys = [token_for(lead, "ESR feed"), token_for(lead, "Rota sync")]
    others_key = token_for(world.person(Role.MANAGER))
    client = client_as(Role.TRAINING_LEAD)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "your 2 API tokens were revoked" in page and "tokens-revoked" in page
    assert reverse("api_tokens:list") in page
    assert not any(_works(key) for key in keys)
    assert _works(others_key)  # nobody else's
    # They can make a new one, and it works.
    membership = Membership.objects.get(user=lead)
    made = client.post(
        reverse("api_tokens:list"), {"name": "ESR feed", "membership": membership.pk}
    )
    assert _works(made.context["new_key"])


def test_a_password_change_with_no_tokens_says_nothing_about_tokens(client_as):
    response = client_as(Role.MENTOR).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    assert "tokens-revoked" not in response.content.decode()


def test_a_refused_password_change_keeps_the_tokens(client_as, world):
    key = token_for(world.person(Role.MENTOR))
    response = client_as(Role.MENTOR).post(
        reverse("password_change"),
        {"old_password": "wrong-one", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200  # the form again, with its error
    assert _works(key)


def test_resetting_a_password_revokes_the_persons_tokens_and_says_so(world):
    mentor = world.person(Role.MENTOR)
    key = token_for(mentor)
    client = Client()
    client.post(reverse("password_reset"), {"email": mentor.email})
    link = re.search(r"https?://[^/\s]+(/account/password/reset/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form_page = client.get(link.group(1), follow=True)  # Django swaps the token for a session

    response = client.post(
        form_page.wsgi_request.path,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    page = response.content.decode()
    assert "Password saved" in page
    assert "your 1 API token was revoked" in page
    assert not _works(key)
    assert ApiToken.objects.get().revoked_at is not None  # kept, for the record


# --- Every other way of changing a password -------------------------------------------------


def test_a_password_set_in_the_django_admin_revokes_the_persons_tokens(world):
    mentor = world.person(Role.MENTOR)
    key, others_key = token_for(mentor), token_for(world.person(Role.MANAGER))
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD))

    response = admin.post(
        reverse("admin:auth_user_password_change", args=[mentor.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    mentor.refresh_from_db()
    assert mentor.check_password(NEW_PASSWORD)
    assert not _works(key)
    assert _works(others_key)


def test_password_based_login_disabled_in_the_django_admin_revokes_the_tokens(world):
    mentor = world.person(Role.MENTOR)
    key = token_for(mentor)
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD))

    response = admin.post(
        reverse("admin:auth_user_password_change", args=[mentor.pk]),
        {"usable_password": "false", "unset-password": "Disable password-based authentication"},
    )
    assert response.status_code == 302, response.content.decode()

    mentor.refresh_from_db()
    assert not mentor.has_usable_password()
    assert ApiToken.objects.get().revoked_at is not None
    assert not _works(key)


def test_manage_py_changepassword_revokes_the_persons_tokens(world, monkeypatch):
    mentor = world.person(Role.MENTOR)
    key, others_key = token_for(mentor), token_for(world.person(Role.MANAGER))
    monkeypatch.setattr(
        "django.contrib.auth.management.commands.changepassword.getpass.getpass",
        lambda prompt="": NEW_PASSWORD,
    )

    call_command("changepassword", mentor.get_username(), stdout=None)

    mentor.refresh_from_db()
    assert mentor.check_password(NEW_PASSWORD)
    assert not _works(key)
    assert _works(others_key)


def test_set_password_and_save_revokes_the_persons_tokens_once(world):
    mentor = world.person(Role.MENTOR)
    keys = [token_for(mentor, "one"), token_for(mentor, "two")]
    others_key = token_for(world.person(Role.MANAGER))
    already = ApiToken.objects.get(user=mentor, name="one")
    already.revoked_at = already.created_at  # revoked long ago: its date stays
    already.save(update_fields=["revoked_at"])

    user = get_user_model().objects.get(pk=mentor.pk)
    user.set_password(NEW_PASSWORD)
    user.save()

    assert not any(_works(key) for key in keys)
    assert _works(others_key)
    assert ApiToken.objects.get(pk=already.pk).revoked_at == already.created_at


def test_a_save_that_leaves_the_password_alone_revokes_nothing(world):
    mentor = world.person(Role.MENTOR)
    key = token_for(mentor)
    user = get_user_model().objects.get(pk=mentor.pk)

    user.first_name = "Morgan"
    user.save()  # the whole row, password included, unchanged
    user.save(update_fields=["last_login"])
    signed_in = Client().post(reverse("login"), {"username": mentor.get_username(), "password": PASSWORD})
    assert signed_in.status_code == 302  # and its last_login saved
    # A hash Django upgrades as the person logs in (here its salt is too short): the same
    # password under a new hash, saved by check_password. Not a change of password.
    get_user_model().objects.filter(pk=mentor.pk).update(password=make_password(PASSWORD, salt="ab", hasher="md5"))
    user = get_user_model().objects.get(pk=mentor.pk)
    old_hash = user.password
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password != old_hash  # upgraded and saved

    assert _works(key)
    assert ApiToken.objects.get().revoked_at is None


# --- A role taken away ------------------------------------------------------------------------


def test_a_token_of_a_deactivated_membership_stays_dead_when_the_role_is_given_back(
    world, django_capture_on_commit_callbacks
):
    mentor = world.person(Role.MENTOR)
    key = token_for(mentor)
    membership = Membership.objects.get(user=mentor, role=Role.MENTOR)

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_revoke(membership=membership)
    services.membership_grant(user=mentor, organisation=world.organisation, role=Role.MENTOR)

    assert Membership.objects.get(pk=membership.pk).is_active
    assert not _works(key)
    assert ApiToken.objects.get().revoked_at is not None
    # A token made for the role given back works.
    _, new_key = token_create(user=mentor, membership_id=membership.pk, name="again")
    assert _works(new_key)


def test_taking_one_role_away_leaves_the_tokens_of_the_persons_other_roles(
    world, django_capture_on_commit_callbacks
):
    manager = world.person(Role.MANAGER)
    services.membership_grant(user=manager, organisation=world.organisation, role=Role.MENTOR)
    as_mentor = Membership.objects.get(user=manager, role=Role.MENTOR)
    as_manager = Membership.objects.get(user=manager, role=Role.MANAGER)
    _, mentor_key = token_create(user=manager, membership_id=as_mentor.pk, name="m")
    _, manager_key = token_create(user=manager, membership_id=as_manager.pk, name="n")

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_revoke(membership=as_mentor)

    assert not _works(mentor_key)
    assert _works(manager_key)


# --- Reset requests throttled -----------------------------------------------------------------


def test_the_sixth_reset_request_in_a_minute_for_one_address_is_refused(world):
    mentor = world.person(Role.MENTOR)
    client = Client()
    for _ in range(5):
        sent = client.post(reverse("password_reset"), {"email": mentor.email.upper()})
        assert sent.status_code == 302
    assert len(mail.outbox) == 5

    refused = client.post(reverse("password_reset"), {"email": mentor.email})

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "too many reset links for this email address" in page
    assert f'value="{mentor.email}"' in page  # what they typed is still there
    assert len(mail.outbox) == 5  # nothing more sent
    # Another person's address is not held up.
    other = client.post(reverse("password_reset"), {"email": world.person(Role.MANAGER).email})
    assert other.status_code == 302


def test_an_unknown_address_is_throttled_the_same_way(world):
    # So the limit does not tell anyone which addresses have logins.
    client = Client()
    statuses = [
        client.post(reverse("password_reset"), {"email": "nobody@example.org"}).status_code
        for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_reset_requests_are_throttled_per_client_address(world, settings):
    settings.PASSWORD_RESET_RATE_PER_CLIENT = 3
    one, another = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.2")
    statuses = [
        one.post(reverse("password_reset"), {"email": f"person{n}@example.org"}).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert "from your network" in one.post(
        reverse("password_reset"), {"email": "person9@example.org"}
    ).content.decode()
    assert another.post(reverse("password_reset"), {"email": "x@example.org"}).status_code == 302
