"""Receivers of lower floors' signals. Thin: they hand over to services. They run after commit:
a failure is logged, never raised into the request that made the change, except under tests
(core.receivers)."""

from __future__ import annotations

from core.receivers import receiver_guard


def suspend_lapsed_delegations(sender, *, pairs, reason, **kwargs) -> None:
    """competencies announced that attainment may have changed (sent after commit): suspend
    the delegations whose worker is no longer competent, re-reading attainment_for."""
    from .services import delegations_suspend_lapsed

    with receiver_guard(f"Suspending the lapsed delegations of {pairs} ({reason})"):
        delegations_suspend_lapsed(pairs=pairs, reason=reason)
