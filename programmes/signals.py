"""Signals for apps on higher floors (the API's tokens): programmes cannot import them, so it
announces instead."""

from django.db import transaction
from django.dispatch import Signal

# Sent after commit when a membership is deactivated (a role taken away). Receivers must make
# what hung on that role end for good, so that giving the role back (which re-activates the
# same row) does not bring it back: the API revokes the membership's tokens.
# kwargs: membership_id: int, user_id: int.
membership_deactivated = Signal()


def announce_membership_deactivated(*, membership_id: int, user_id: int) -> None:
    """Send ``membership_deactivated`` once the current transaction commits."""
    transaction.on_commit(
        lambda: membership_deactivated.send(
            sender=None, membership_id=membership_id, user_id=user_id
        )
    )
