"""Signals for apps on higher floors (delegation, credentials): competencies cannot import them,
so it announces instead. Receivers must not assume what changed: they re-read the current
attainment through ``competencies.evidence.selectors.attainment_for``.
"""

from django.dispatch import Signal

# Sent after commit whenever the current attainment of a trainee in a competency may have
# changed: a sign-off, a confirmation or correction, a reassessment, a withdrawal, an expiry
# found by the daily sweep, an erasure, the competency just made a delegated task (what it
# already attained now earns a credential), or its validity period changed so the current
# version's last valid day did.
# kwargs: pairs: list[tuple[int, int]] of (trainee id, competency id); reason: str, one of
# "signed_off", "corrected", "reassessed", "withdrawn", "expired", "erased", "delegated",
# "revalidated".
attainment_changed = Signal()


def announce_attainment_changed(pairs, reason: str) -> None:
    """Send ``attainment_changed`` once the current transaction commits (at once outside one)."""
    from django.db import transaction

    pairs = [(int(t), int(c)) for t, c in pairs]
    if pairs:
        transaction.on_commit(
            lambda: attainment_changed.send(sender=None, pairs=pairs, reason=reason)
        )
