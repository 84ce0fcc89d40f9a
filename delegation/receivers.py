"""Receivers of lower floors' signals. Thin: they hand over to services."""

from __future__ import annotations


def suspend_lapsed_delegations(sender, *, pairs, reason, **kwargs) -> None:
    """competencies announced that attainment may have changed (sent after commit): suspend
    the delegations whose worker is no longer competent, re-reading attainment_for."""
    from .services import delegations_suspend_lapsed

    delegations_suspend_lapsed(pairs=pairs, reason=reason)
