"""Reads of invitations.

Minimal versions written for single sign-on (issue 12, item 3); the invitations work (items 1,
2 and 5) owns this module and may replace them, keeping these signatures.
"""

from __future__ import annotations

import hashlib

from .models import Invitation


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitation_for_email(email: str) -> Invitation | None:
    """The newest pending invitation to this address (matched without case), or None."""
    email = (email or "").strip().lower()
    if not email:
        return None
    return (
        Invitation.objects.pending()
        .filter(email=email)
        .select_related("organisation", "trainee")
        .order_by("-created_at", "-pk")
        .first()
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation whose link carries this token (pending or not), or None."""
    if not token:
        return None
    return (
        Invitation.objects.filter(token_hash=_token_hash(token))
        .select_related("organisation", "trainee")
        .first()
    )
