"""Single sign-on through a real OpenID Connect provider on 127.0.0.1 (tests/sso/provider.py).

The Django test client is Ladder's browser; a requests session is the same person's browser at
the provider (it answers the provider's sign-in form). Every redirect between the two is
followed as a browser would, by its Location.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Invitation
from people.services import INVITATION_SESSION_KEY, invitation_create
from programmes.models import Membership, Role
from programmes.services import membership_revoke

from .provider import claims_of, running_provider, with_claims


@pytest.fixture
def provider():
    with running_provider() as running:
        yield running


def _configure(settings, issuer: str) -> None:
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID = "ladder-tests"
    settings.OIDC_CLIENT_SECRET = "not-a-real-secret"  # noqa: S105
    settings.OIDC_LOGIN_LABEL = "Sign in with NHSmail"


@pytest.fixture(autouse=True)
def _empty_cache(own_cache):
    """No discovery document cached by another test's provider (which may have had this port)."""


@pytest.fixture
def sso(settings, provider):
    _configure(settings, provider.issuer)
    return provider


def _with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def sign_in(client: Client, provider, sub: str, *, authorize=None, callback=None):
    """Start at Ladder, sign in at the provider as ``sub``, come back. ``authorize`` and
    ``callback`` may alter the two redirect URLs on the way (an attacker's edits)."""
    start = client.get(reverse("people:sso_start"))
    assert start.status_code == 302, start.content
    authorize_url = start["Location"]
    assert authorize_url.startswith(provider.issuer)
    if authorize:
        authorize_url = authorize(authorize_url)
    browser = requests.Session()
    assert browser.get(authorize_url, timeout=10).status_code == 200  # the provider's form
    answer = browser.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback_url = answer.headers["Location"]
    if callback:
        callback_url = callback(callback_url)
    parts = urlsplit(callback_url)
    assert parts.path == reverse("people:sso_callback")
    return client.get(f"{parts.path}?{parts.query}")


def _signed_in_as(client: Client):
    return client.get(reverse("dashboards:home")).wsgi_request.user


# --- Who gets in ------------------------------------------------------------------------------


def test_a_person_whose_verified_email_matches_signs_in_and_lands_on_their_home_page(world, sso):
    mentor = world.person(Role.MENTOR)
    sso.add_person("entra-0001", email=mentor.email.upper(), email_verified=True)
    client = Client()

    response = sign_in(client, sso, "entra-0001")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert home.wsgi_request.user == mentor
    assert "Mentor" in home.content.decode()  # the mentor's own dashboard


def test_the_flow_uses_pkce_state_and_nonce(world, sso):
    sso.add_person("entra-0001", email=world.person(Role.MANAGER).email, email_verified=True)

    sign_in(Client(), sso, "entra-0001")

    asked = sso.authorize_requests[-1]
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["state"][0] and asked["nonce"][0]
    verifier = sso.token_requests[-1]["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert asked["code_challenge"] == [challenge.decode()]


def test_a_stranger_is_refused_with_the_reason_and_no_account_is_made(world, sso):
    sso.add_person("entra-0002", email="stranger@nhs.net", email_verified=True)
    client = Client()
    users_before = get_user_model().objects.count()

    response = sign_in(client, sso, "entra-0002")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Ladder has no login or invitation for stranger@nhs.net" in page
    assert "Ask your training lead to invite you" in page
    assert get_user_model().objects.count() == users_before
    assert not _signed_in_as(client).is_authenticated


def test_an_unverified_email_is_not_matched(world, sso):
    sso.add_person("entra-0003", email=world.person(Role.MENTOR).email, email_verified=False)
    client = Client()

    response = sign_in(client, sso, "entra-0003")

    assert response.status_code == 403
    assert "has not verified the email address" in response.content.decode()
    assert not _signed_in_as(client).is_authenticated


def test_a_deactivated_login_is_refused(world, sso):
    mentor = world.person(Role.MENTOR)
    mentor.is_active = False
    mentor.save()
    sso.add_person("entra-0004", email=mentor.email, email_verified=True)

    response = sign_in(Client(), sso, "entra-0004")

    assert response.status_code == 403
    assert "has been deactivated" in response.content.decode()


def _invite(world, email: str, role: str) -> tuple[Invitation, str]:
    """A training lead's invitation, and the token its link carries."""
    invitation, link = invitation_create(
        organisation=world.organisation, email=email, role=role,
        invited_by=world.person(Role.TRAINING_LEAD),
    )
    return invitation, link.rstrip("/").rsplit("/", 1)[-1]


def test_a_pending_invitation_gives_the_person_a_login_in_the_invited_role(world, sso):
    invitation, _ = _invite(world, "new.mentor@nhs.net", Role.MENTOR)
    sso.add_person("entra-0005", email="New.Mentor@NHS.net", email_verified=True,
                   given_name="Nia", family_name="Okafor")
    client = Client()

    response = sign_in(client, sso, "entra-0005")

    assert response.status_code == 302
    user = _signed_in_as(client)
    assert (user.email, user.first_name, user.last_name) == ("new.mentor@nhs.net", "Nia", "Okafor")
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, organisation=world.organisation, role=Role.MENTOR, is_active=True
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_a_login_made_by_single_sign_on_is_told_it_has_no_password_and_offered_no_change(world, sso):
    _invite(world, "new.mentor@nhs.net", Role.MENTOR)
    sso.add_person("entra-0006", email="new.mentor@nhs.net", email_verified=True)
    client = Client()
    assert sign_in(client, sso, "entra-0006").status_code == 302
    explained = "You sign in with your organisation's single sign-on, so you have no password in Ladder"

    account = client.get(reverse("dashboards:account")).content.decode()
    assert explained in account
    assert "Change your password" not in account and reverse("password_change") not in account

    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert explained in page.content.decode()
    assert 'name="old_password"' not in page.content.decode()  # no form it could never fill in
    sent = client.post(reverse("password_change"), {
        "old_password": "", "new_password1": "a-quite-different-phrase-42",
        "new_password2": "a-quite-different-phrase-42",
    })
    assert sent.status_code == 403 and explained in sent.content.decode()
    assert not _signed_in_as(client).has_usable_password()


def test_a_person_with_a_password_who_signs_in_by_single_sign_on_can_still_change_it(world, sso):
    manager = world.person(Role.MANAGER)
    sso.add_person("entra-0007", email=manager.email, email_verified=True)
    client = Client()
    assert sign_in(client, sso, "entra-0007").status_code == 302

    assert "Change your password" in client.get(reverse("dashboards:account")).content.decode()
    assert 'name="old_password"' in client.get(reverse("password_change")).content.decode()


def test_the_invitation_that_started_the_flow_adds_its_role_to_an_existing_login(world, sso):
    manager = world.person(Role.MANAGER)
    invitation, token = _invite(world, manager.email, Role.MENTOR)
    sso.add_person("entra-0006", email=manager.email, email_verified=True)
    client = Client()
    session = client.session
    session[INVITATION_SESSION_KEY] = token
    session.save()

    sign_in(client, sso, "entra-0006")

    assert _signed_in_as(client) == manager
    assert set(
        Membership.objects.filter(user=manager, is_active=True).values_list("role", flat=True)
    ) == {Role.MANAGER, Role.MENTOR}
    invitation.refresh_from_db()
    assert invitation.accepted_by == manager
    assert INVITATION_SESSION_KEY not in client.session


# --- What is refused --------------------------------------------------------------------------


def test_a_tampered_id_token_is_refused(world, sso):
    mentor, lead = world.person(Role.MENTOR), world.person(Role.TRAINING_LEAD)
    sso.add_person("entra-0007", email=mentor.email, email_verified=True)
    # Someone between Ladder and the provider turns the mentor's token into the lead's.
    sso.tamper_id_token = lambda token: with_claims(token, email=lead.email)
    client = Client()

    response = sign_in(client, sso, "entra-0007")

    assert response.status_code == 400
    assert "signature does not match" in response.content.decode()
    assert not _signed_in_as(client).is_authenticated


def test_an_id_token_for_another_client_is_refused(world, sso):
    sso.add_person("entra-0008", email=world.person(Role.MENTOR).email, email_verified=True)
    sso.tamper_id_token = lambda token: with_claims(token, aud="someone-else")

    response = sign_in(Client(), sso, "entra-0008")

    assert response.status_code == 400


def test_an_expired_id_token_is_refused(world, settings):
    # The provider itself signs tokens that expired two minutes before they were issued.
    with running_provider(token_max_age=timedelta(minutes=-2)) as expiring:
        _configure(settings, expiring.issuer)
        expiring.add_person(
            "entra-0009", email=world.person(Role.MENTOR).email, email_verified=True
        )
        seen = []
        expiring.tamper_id_token = lambda token: seen.append(claims_of(token)) or token
        client = Client()

        response = sign_in(client, expiring, "entra-0009")

    assert seen and seen[0]["exp"] < timezone.now().timestamp()  # really expired, really signed
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    assert not _signed_in_as(client).is_authenticated


def test_a_wrong_state_is_refused(world, sso):
    sso.add_person("entra-0010", email=world.person(Role.MENTOR).email, email_verified=True)
    client = Client()

    response = sign_in(
        client, sso, "entra-0010", callback=lambda url: _with_query(url, state="forged")
    )

    assert response.status_code == 400
    assert "was not started from this browser" in response.content.decode()
    assert not _signed_in_as(client).is_authenticated


def test_a_state_is_good_for_one_answer_only(world, sso):
    sso.add_person("entra-0011", email=world.person(Role.MENTOR).email, email_verified=True)
    client = Client()
    replayed = []

    sign_in(client, sso, "entra-0011", callback=lambda url: replayed.append(url) or url)
    client.post(reverse("logout"))
    parts = urlsplit(replayed[0])
    response = client.get(f"{parts.path}?{parts.query}")

    assert response.status_code == 400
    assert not _signed_in_as(client).is_authenticated


def test_a_wrong_nonce_is_refused(world, sso):
    sso.add_person("entra-0012", email=world.person(Role.MENTOR).email, email_verified=True)
    client = Client()

    # The provider is asked with a nonce this session did not make, and puts it in the token.
    response = sign_in(
        client, sso, "entra-0012", authorize=lambda url: _with_query(url, nonce="forged")
    )

    assert response.status_code == 400
    assert "Nonce" in response.content.decode()
    assert not _signed_in_as(client).is_authenticated


def test_the_provider_saying_no_is_shown(world, sso):
    client = Client()
    start = client.get(reverse("people:sso_start"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    response = client.get(
        reverse("people:sso_callback") + "?" + urlencode({"error": "access_denied", "state": state})
    )

    assert response.status_code == 403
    assert "did not sign you in (access_denied)" in response.content.decode()


# --- Configuration ----------------------------------------------------------------------------


def test_single_sign_on_is_off_unless_configured(world, client):
    assert client.get(reverse("people:sso_start")).status_code == 404
    assert "sso-sign-in" not in client.get(reverse("login")).content.decode()


def test_the_login_page_shows_the_configured_button(world, sso, client):
    page = client.get(reverse("login")).content.decode()
    assert 'id="sso-sign-in"' in page
    assert "Sign in with NHSmail" in page


def test_an_unreachable_provider_is_a_clear_503(world, settings, client):
    _configure(settings, "http://127.0.0.1:9")  # nothing listens on the discard port
    response = client.get(reverse("people:sso_start"))
    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()


def test_a_membership_revoked_after_sign_in_does_not_keep_the_role(world, sso):
    # Signing in through the provider gives no more than the login's own active roles.
    mentor = world.person(Role.MENTOR)
    membership_revoke(membership=Membership.objects.get(user=mentor, role=Role.MENTOR))
    sso.add_person("entra-0013", email=mentor.email, email_verified=True)
    client = Client()

    sign_in(client, sso, "entra-0013")

    assert client.get(reverse("dashboards:home")).status_code == 403


def test_the_person_goes_where_they_were_going_when_asked_to_sign_in(world, sso):
    sso.add_person("entra-0014", email=world.person(Role.MENTOR).email, email_verified=True)
    client = Client()
    start = client.get(reverse("people:sso_start") + "?next=/account/tokens/")
    browser = requests.Session()
    answer = browser.post(start["Location"], data={"sub": "entra-0014"}, allow_redirects=False)
    parts = urlsplit(answer.headers["Location"])

    response = client.get(f"{parts.path}?{parts.query}")

    assert response["Location"] == "/account/tokens/"


def test_a_next_address_elsewhere_is_ignored(world, sso):
    sso.add_person("entra-0015", email=world.person(Role.MENTOR).email, email_verified=True)
    client = Client()
    start = client.get(reverse("people:sso_start") + "?next=https://evil.example/")
    browser = requests.Session()
    answer = browser.post(start["Location"], data={"sub": "entra-0015"}, allow_redirects=False)
    parts = urlsplit(answer.headers["Location"])

    response = client.get(f"{parts.path}?{parts.query}")

    assert response["Location"] == reverse("dashboards:home")


def test_a_provider_trusted_without_email_verified_matches_on_the_email_alone(world, sso, settings):
    # A single-tenant Entra ID (NHSmail) sends no email_verified; the README says when to allow it.
    settings.OIDC_REQUIRE_EMAIL_VERIFIED = False
    mentor = world.person(Role.MENTOR)
    sso.add_person("entra-0016", email=mentor.email)
    client = Client()

    sign_in(client, sso, "entra-0016")

    assert _signed_in_as(client) == mentor


def test_an_invitation_opened_for_another_address_is_refused_with_both_addresses(world, sso):
    _, token = _invite(world, "invited@nhs.net", Role.MENTOR)
    sso.add_person("entra-0017", email="someone.else@nhs.net", email_verified=True)
    client = Client()
    session = client.session
    session[INVITATION_SESSION_KEY] = token
    session.save()
    users_before = get_user_model().objects.count()

    response = sign_in(client, sso, "entra-0017")

    assert response.status_code == 403
    assert "sent to invited@nhs.net" in response.content.decode()
    assert "signed you in as someone.else@nhs.net" in response.content.decode()
    assert get_user_model().objects.count() == users_before


def test_the_invitation_page_sends_the_person_through_single_sign_on(world, sso):
    # The people pages' "sign in with single sign-on" keeps the invitation for the callback.
    invitation, token = _invite(world, "nia.okafor@nhs.net", Role.TRAINEE)
    sso.add_person("entra-0018", email="nia.okafor@nhs.net", email_verified=True)
    client = Client()
    to_start = client.post(reverse("people:accept_sso", kwargs={"token": token}))
    assert to_start["Location"] == reverse("people:sso_start")

    response = sign_in(client, sso, "entra-0018")

    assert response["Location"] == reverse("dashboards:home")
    home = client.get(response["Location"])
    assert home.wsgi_request.membership.role == Role.TRAINEE  # acting in the new role
    invitation.refresh_from_db()
    assert invitation.accepted_by == home.wsgi_request.user
