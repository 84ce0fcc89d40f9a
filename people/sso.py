"""Single sign-on through an OpenID Connect provider (NHSmail's Microsoft Entra ID, NHS CIS2).

Off unless OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. mozilla-django-oidc
runs the authorization code flow (state, nonce and PKCE kept in the session, the code exchanged
at the token endpoint, the ID token's signature checked against the provider's JWKS); this
module adds what it leaves out:

- discovery: the endpoints and keys come from ``{issuer}/.well-known/openid-configuration``
  (fetched when first needed and cached), not from five hand-copied settings;
- the ID token's issuer, audience, expiry and issue time are checked, not only its signature;
- who may sign in: a person is matched by their VERIFIED email, without case, to an active
  login, or to a pending invitation (accepted there and then). Nobody else gets an account:
  they are told to ask their training lead for an invitation;
- every refusal carries a reason the person can read (:class:`SsoRefused`).
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.db import transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from config.oidc_issuer import check_issuer

from . import selectors, services
from .models import Invitation

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60
ASK_FOR_AN_INVITATION = "Ask your training lead to invite you to Ladder."


class SsoRefused(Exception):
    """Signing in through the identity provider was refused; the message says why, in words
    the person can act on."""


class SsoUnavailable(Exception):
    """The identity provider could not be reached or described itself wrongly."""


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET)


def sso_login_label() -> str:
    return settings.OIDC_LOGIN_LABEL


def login_url() -> str:
    """Where a page sends a person to sign in through the provider (the invitation page uses it
    after keeping the invitation in the session)."""
    return reverse("people:sso_start")


# --- Discovery -------------------------------------------------------------------------------

REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


def provider_configuration() -> dict[str, Any]:
    """The provider's metadata (OpenID Connect Discovery 1.0), cached for an hour in the shared
    cache. Raises SsoUnavailable if it cannot be fetched, or does not describe OIDC_ISSUER."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"oidc-discovery:{issuer}"
    metadata = cache.get(key)
    if metadata is not None:
        return metadata
    try:
        check_issuer(issuer)
    except ImproperlyConfigured as exc:
        raise SsoUnavailable(str(exc)) from exc
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OpenID Connect discovery failed at %s: %s", url, exc)
        raise SsoUnavailable("The identity provider could not be reached.") from exc
    missing = [name for name in REQUIRED_METADATA if not metadata.get(name)]
    if missing:
        raise SsoUnavailable(f"The identity provider's metadata lacks {', '.join(missing)}.")
    # Discovery section 4.3: the issuer in the document must be exactly the one configured.
    if metadata["issuer"].rstrip("/") != issuer:
        raise SsoUnavailable(
            f"The identity provider says it is {metadata['issuer']!r}, not {issuer!r}."
        )
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        endpoint = metadata.get(name)
        if endpoint:
            try:
                check_issuer(endpoint, name=name)
            except ImproperlyConfigured as exc:
                raise SsoUnavailable(str(exc)) from exc
    cache.set(key, metadata, DISCOVERY_CACHE_SECONDS)
    return metadata


def _discovered(name: str) -> str | None:
    return provider_configuration().get(name)


# What mozilla-django-oidc asks for with get_settings(), answered from discovery.
DISCOVERED_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",  # a metadata key, not a secret # nosec B105
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


# The library's names for the client's credentials, read from Ladder's names at each use (so
# they follow the environment, and the tests' settings).
RENAMED_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",  # a setting's name, not a secret # nosec B105
}


def get_oidc_setting(attr: str, *default):
    if attr in RENAMED_SETTINGS:
        return getattr(settings, RENAMED_SETTINGS[attr])
    if attr in DISCOVERED_SETTINGS:
        return _discovered(DISCOVERED_SETTINGS[attr])
    if default:
        return getattr(settings, attr, default[0])
    return getattr(settings, attr)


# --- The backend: token exchange and verification (the library's), claims and matching (ours)


class LadderOIDCBackend(OIDCAuthenticationBackend):
    """Called by the callback view directly, not listed in AUTHENTICATION_BACKENDS: a password
    login never touches the provider, and failed single sign-ons are not counted by django-axes
    against everyone behind the same address."""

    get_settings = staticmethod(get_oidc_setting)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation_token: str | None = None
        self.accepted_membership = None  # the role an invitation gave, when one was accepted

    def _verify_jws(self, payload, key):
        """The library's version checks only the signature (with PyJWT, skipping the audience)
        and lets an expired token's error escape as a 500. Here PyJWT checks the signature,
        issuer, audience (Ladder's client id), expiry and issue time, all required (OpenID
        Connect Core 3.1.3.7), and every failure is a SuspiciousOperation with the reason; the
        library's verify_token then checks the nonce."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation("The ID token is not a signed token.") from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is not signed with the expected algorithm.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_configuration()["issuer"],
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.ExpiredSignatureError as exc:
            raise SuspiciousOperation("The ID token has expired.") from exc
        except jwt.InvalidSignatureError as exc:
            raise SuspiciousOperation("The ID token's signature does not match.") from exc
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"The ID token is not valid: {exc}.") from exc

    def retrieve_matching_jwk(self, token):
        """The provider's key that signed the token. The library's version fails (KeyError)
        when the provider's keys carry no ``kid``, which the JWKS standard allows for a
        provider with a single key; here a token without ``kid`` is accepted only when the set
        holds exactly one signing key for the algorithm."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation("The ID token is not a signed token.") from exc
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = [
            jwk for jwk in response.json().get("keys", [])
            if jwk.get("use", "sig") == "sig"
            and jwk.get("alg", header.get("alg")) == header.get("alg")
        ]
        if header.get("kid"):
            keys = [jwk for jwk in keys if jwk.get("kid") == header["kid"]]
        if len(keys) != 1:
            raise SuspiciousOperation(
                "The ID token was not signed with one of the provider's keys."
            )
        try:
            return jwt.PyJWK(keys[0])
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation("The provider's signing key cannot be read.") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """The verified ID token's claims; the userinfo endpoint is asked only when the ID
        token does not carry the email, and then only for the same subject."""
        claims = dict(payload)
        if "email" not in claims and self.OIDC_OP_USER_ENDPOINT and access_token:
            extra = super().get_userinfo(access_token, id_token, payload)
            if extra.get("sub") != claims.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about someone else.")
            wanted = ("email", "email_verified", "given_name", "family_name")
            claims.update({k: v for k, v in extra.items() if k in wanted})
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        user, self.accepted_membership = sso_person_for_claims(
            claims=claims, invitation_token=self.invitation_token
        )
        return user


def _verified_email(claims: dict[str, Any]) -> str:
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise SsoRefused(
            "Your identity provider did not give Ladder your email address, so you cannot be "
            f"matched to a Ladder login. {ASK_FOR_AN_INVITATION}"
        )
    if settings.OIDC_REQUIRE_EMAIL_VERIFIED and claims.get("email_verified") not in (True, "true"):
        raise SsoRefused(
            f"Your identity provider has not verified the email address {email}, so Ladder "
            "cannot match it to a login. Sign in with your password, or ask your training lead."
        )
    return email


@transaction.atomic
def sso_person_for_claims(*, claims: dict[str, Any], invitation_token: str | None = None):
    """The active login the verified claims belong to, or a new login for a pending invitation
    to that address (accepted here), with the role an accepted invitation gave (else None).
    Raises SsoRefused, creating nothing, for anyone else.

    The invitation whose page started the flow (``invitation_token``) is accepted when its
    email is the verified one, also by a person who already has a login (the role is added).
    """
    email = _verified_email(claims)
    User = get_user_model()
    users = list(User.objects.filter(email__iexact=email).order_by("pk"))
    active = [user for user in users if user.is_active]
    if len(active) > 1:
        raise SsoRefused(
            f"More than one Ladder login uses {email}, so Ladder cannot tell which is yours. "
            "Ask your training lead to sort this out."
        )
    invitation = None
    if invitation_token:
        candidate = selectors.invitation_for_token(invitation_token)
        if candidate and candidate.status == Invitation.Status.PENDING:
            if candidate.email != email:
                raise SsoRefused(
                    f"The invitation you opened was sent to {candidate.email}, but your identity "
                    f"provider signed you in as {email}. Sign in there as {candidate.email}, or "
                    f"ask your training lead to invite {email}."
                )
            invitation = candidate
    if active:
        user = active[0]
        return user, (_accept(invitation, user) if invitation is not None else None)
    if users:
        raise SsoRefused(
            f"The Ladder login for {email} has been deactivated. Ask your training lead if "
            "you should still have access."
        )
    invitation = invitation or selectors.pending_invitation_for_email(email)
    if invitation is None:
        raise SsoRefused(f"Ladder has no login or invitation for {email}. {ASK_FOR_AN_INVITATION}")
    # Lock the invitation before making the login: a second callback for the same invitation
    # (two tabs) waits here, then finds it accepted, instead of colliding on the username.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise SsoRefused(f"This invitation has just been used. {ASK_FOR_AN_INVITATION}")
    if User.objects.filter(username__iexact=email).exists():
        raise SsoRefused(
            f"A Ladder login already has the username {email}. Ask your training lead."
        )
    user = User(
        username=email,
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    # They sign in through the provider: no password in Ladder, none to change (the account page
    # and the password change page say so) and none to reset (Django's reset skips them).
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as exc:
        raise SsoRefused(
            f"Ladder cannot make a login for {email}. Ask your training lead."
        ) from exc
    user.save()
    return user, _accept(invitation, user)


def _accept(invitation, user):
    with set_actor(user):
        try:
            return services.invitation_accept(invitation=invitation, user=user)
        except ValidationError as exc:  # withdrawn or accepted a moment ago
            raise SsoRefused(f"{' '.join(exc.messages)} {ASK_FOR_AN_INVITATION}") from exc
