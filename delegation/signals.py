"""Signals for the floors above: delegation cannot import them, so it announces. (Credentials
do not follow it: they follow attainment itself, see credentials/receivers.py.)

``delegation_suspended``: sent after commit when a delegation is suspended (the worker's
competence lapsed or was withdrawn, or the partnership it rested on ended). kwargs:
``delegation_id``, ``trainee_id``, ``competency_id``, ``reason`` (the words shown on the
delegation). Receivers re-read what they need.
"""

from django.db import transaction
from django.dispatch import Signal

delegation_suspended = Signal()


def announce_delegation_suspended(*, delegation_id: int, trainee_id: int, competency_id: int, reason: str) -> None:
    transaction.on_commit(
        lambda: delegation_suspended.send(
            sender=None, delegation_id=delegation_id, trainee_id=trainee_id,
            competency_id=competency_id, reason=reason,
        )
    )
