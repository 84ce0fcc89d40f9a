"""Logging in and out, changing and resetting a password (by email), and the admin."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail

from programmes.models import Role

from .conftest import PASSWORD


def test_login_with_the_right_password_lands_on_the_dashboard(client, world):
    response = client.post(
        "/account/login/", {"username": "mentor.acme", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.templates[0].name == "dashboards/home_mentor.html"


def test_login_with_a_wrong_password_says_so_next_to_the_form(client, world):
    response = client.post("/account/login/", {"username": "mentor.acme", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert "<title>Error: " in html


def test_logout_needs_a_post_and_ends_the_session(client_as):
    client = client_as(Role.TRAINEE)
    assert client.get("/account/logout/").status_code == 405
    assert client.post("/account/logout/").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_password_change(client, world):
    client.force_login(world.person(Role.MANAGER))
    response = client.post("/account/password/change/", {
        "old_password": PASSWORD,
        "new_password1": "a-much-better-passphrase",
        "new_password2": "a-much-better-passphrase",
    })
    assert response.status_code == 302
    user = world.person(Role.MANAGER)
    user.refresh_from_db()
    assert user.check_password("a-much-better-passphrase")


def test_password_change_refuses_a_weak_password_with_a_message(client, world):
    client.force_login(world.person(Role.MANAGER))
    response = client.post("/account/password/change/", {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })
    assert response.status_code == 200
    assert "Password must be 10 characters or more" in response.content.decode()


def test_password_reset_by_email(client, world):
    response = client.post("/account/password/reset/", {"email": "trainee.acme@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "reset-and-remembered", "new_password2": "reset-and-remembered",
    })
    assert response.status_code == 302
    user = get_user_model().objects.get(username="trainee.acme")
    assert user.check_password("reset-and-remembered")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, world):
    response = client.post("/account/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/account/password/reset/sent/"
    assert mail.outbox == []


def test_a_superuser_reaches_the_admin(client, world):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)

    response = client.get("/admin/programmes/membership/")

    assert response.status_code == 200
    assert response.context["user"] == admin
    # The membership change list itself, listing the organisations' memberships.
    assert response.context["cl"].model._meta.label == "programmes.Membership"
    assert response.context["cl"].result_count == len(world.people) + 1  # Acme's and the outsider's
    assert "lead.other" in response.content.decode()


def test_the_admin_is_closed_to_a_training_lead(client_as):
    response = client_as(Role.TRAINING_LEAD).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_administrator_without_a_role_lands_on_the_admin(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
