"""A trainee whose session ends while they write keeps what they sent: after signing in again
the evidence is submitted (or, with files, shown again to add them), with a message."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from competencies.models import Evidence
from programmes.models import Role

from ..conftest import PASSWORD
from .factories import pdf
from .test_pages import _form

ACCOUNT = "I recorded observations every four hours and escalated a NEWS2 of 5 to the nurse in charge."


def _end_session(client) -> None:
    """What an hour idle does: the session is gone from the store, the browser still sends it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).delete()


def _sign_in(client, username: str, next_url: str):
    return client.post(f"{reverse('login')}?next={next_url}",
                       {"username": username, "password": PASSWORD}, follow=True)


def test_evidence_sent_after_the_session_ended_is_submitted_once_the_trainee_signs_in(
    client, world, frameworks
):
    trainee_user = world.person(Role.TRAINEE)
    _sign_in(client, trainee_user.username, "/")
    url = reverse("evidence:create")
    client.get(url)
    _end_session(client)

    sent = client.post(url, _form(frameworks, description=ACCOUNT))

    assert sent.status_code == 302 and sent["Location"].startswith(reverse("login"))
    assert not Evidence.objects.exists()
    login_page = client.get(sent["Location"]).content.decode()
    assert "What you sent has been kept: sign in again to finish it." in login_page

    after = _sign_in(client, trainee_user.username, url)

    evidence = Evidence.objects.get()
    assert evidence.description == ACCOUNT and evidence.trainee == world.trainee
    assert evidence.submitted_by == trainee_user  # the account is kept, attributed to them
    assert after.redirect_chain[-1][0] == f"/evidence/{evidence.pk}/"
    page = after.content.decode()
    assert "what you had sent before you were signed out was sent now" in page
    assert "Observations on Larch Ward" in page


def test_with_files_the_form_comes_back_filled_in_asking_for_them_again(client, world, frameworks):
    trainee_user = world.person(Role.TRAINEE)
    _sign_in(client, trainee_user.username, "/")
    url = reverse("evidence:create")
    _end_session(client)
    client.post(url, _form(frameworks, description=ACCOUNT, kind="", files=[pdf("obs.pdf")]))

    after = _sign_in(client, trainee_user.username, url)

    page = after.content.decode()
    assert after.status_code == 200 and not Evidence.objects.exists()  # "kind" was missing
    assert ACCOUNT in page  # restored into the form
    assert "Files cannot be kept while you sign in: choose them again." in page


def test_someone_else_signing_in_on_the_same_browser_gets_nothing(client, world, frameworks):
    trainee_user = world.person(Role.TRAINEE)
    other = get_user_model().objects.get(pk=world.person(Role.MANAGER).pk)
    _sign_in(client, trainee_user.username, "/")
    url = reverse("evidence:create")
    _end_session(client)
    client.post(url, _form(frameworks, description=ACCOUNT))

    after = _sign_in(client, other.username, url)

    assert not Evidence.objects.exists()
    assert ACCOUNT not in after.content.decode()
