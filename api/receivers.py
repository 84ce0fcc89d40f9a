"""What the API does when lower floors announce a change (connected in ApiConfig.ready)."""

from __future__ import annotations

from . import tokens


def revoke_tokens_of_deactivated_membership(sender, *, membership_id: int, **kwargs) -> None:
    tokens.tokens_revoke_for_membership(membership_id=membership_id)
