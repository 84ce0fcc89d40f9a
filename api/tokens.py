"""Making, finding and revoking personal API tokens (the writes and reads of api.models)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.access import memberships_for

from .models import ApiToken

KEY_PREFIX = "ldr_"  # so a leaked key is recognisable (secret scanners, logs)
# last_used_at is a hint for the owner, not an audit: write it at most once a minute, not on
# every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, membership_id: int, name: str) -> tuple[ApiToken, str]:
    """A new token acting as one of the user's own active memberships. Returns the token and
    the key, which is not stored and cannot be shown again."""
    membership = next((m for m in memberships_for(user) if m.pk == membership_id), None)
    if membership is None:
        raise ValidationError({"membership": "Choose one of your own roles."})
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Say what the token is for."})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, membership=membership, name=name, prefix=key[:12], key_hash=_hash(key)
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (404 for anyone else's). Kept, for the record."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def _revoke_all(tokens: QuerySet[ApiToken]) -> int:
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_revoke_for_person(*, user) -> int:
    """Revoke every active token of the person: their password changed or was reset, so
    whatever a token was lent to must be re-trusted by them. Returns how many were revoked.
    Called on every password change (api.receivers), not by the views that change one. One
    UPDATE, atomic by itself: no savepoint in the transaction of the change."""
    return _revoke_all(ApiToken.objects.filter(user=user))


def tokens_active_count(*, user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


@transaction.atomic
def tokens_revoke_for_membership(*, membership_id: int) -> int:
    """Revoke every active token acting as this membership (its role was taken away), for
    good: re-granting the role re-activates the membership, never its old tokens."""
    return _revoke_all(ApiToken.objects.filter(membership_id=membership_id))


def tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("membership__organisation")


def token_for_key(key: str) -> ApiToken | None:
    """The active token with this key whose membership is still active, or None. One query
    (plus one UPDATE at most once a minute, for last_used_at)."""
    token = (
        ApiToken.objects.filter(
            key_hash=_hash(key),
            revoked_at__isnull=True,
            membership__is_active=True,
            user__is_active=True,
        )
        .select_related("user", "membership__organisation")
        .first()
    )
    if token is None:
        return None
    token.membership.user = token.user  # the same person: spare selectors a query for it
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
