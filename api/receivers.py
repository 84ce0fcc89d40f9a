"""What the API does when lower floors announce a change (connected in ApiConfig.ready).

Sent after commit: a failure is logged, never raised into the request that made the change,
except under tests (core.receivers). A token whose revoking failed still cannot be used while
the membership is inactive (api.tokens checks ``membership__is_active``)."""

from __future__ import annotations

from core.receivers import receiver_guard

from . import tokens


def revoke_tokens_of_deactivated_membership(sender, *, membership_id: int, **kwargs) -> None:
    with receiver_guard(f"Revoking the API tokens of membership {membership_id}"):
        tokens.tokens_revoke_for_membership(membership_id=membership_id)
