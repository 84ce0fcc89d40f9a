"""Reminder emails sent by a lower floor (evaluations' daily interview reminders) ask here
who wants them, and claim each item they tell, so that nobody hears of the same item twice in
a week, whichever way it reached them (one weekly digest, or an email as it happens).

Why a hook: each person's choice (dashboards.ReminderPreference) and the record of what they
were told (dashboards.DigestEntry) live on the top floor, beside the account page that sets
them and the digest that reads them, and a lower app never imports a higher one
(ARCHITECTURE.md). Moving the models down would split the digest's state across floors; so
dashboards registers a policy here in its AppConfig.ready() and lower apps call through it.
With no policy registered (dashboards not installed) everyone gets every reminder, as before.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

# The kinds of reminder a person chooses among (dashboards.ReminderPreference.Kind's values).
INTERVIEWS = "interviews"
REVIEWS = "reviews"
EXPIRING = "expiring"
EVIDENCE = "evidence"


class ReminderPolicy(Protocol):
    def wanting_each_item(self, *, kind: str) -> set[int] | None:
        """The ids of the people who want an email for each item of this kind as it falls due
        (``None``: everyone)."""

    def claim(self, *, user_id: int, key: str, today: date) -> bool:
        """Record that this person is told of the item ``key`` in the week of ``today``; False
        when they already were that week (nothing is then sent). Call inside a transaction
        (savepoint) that the sending is part of, so a failed email releases the claim."""


_policy: ReminderPolicy | None = None


def register(policy: ReminderPolicy | None) -> None:
    global _policy
    _policy = policy


def item_key(url: str, title: str) -> str:
    """What identifies an item told to a person: its link within Ladder and its title (the same
    whichever floor tells it)."""
    return f"{url}|{title}"[:300]


def wanting_each_item(*, kind: str) -> set[int] | None:
    return _policy.wanting_each_item(kind=kind) if _policy is not None else None


def claim(*, user_id: int, key: str, today: date) -> bool:
    return _policy.claim(user_id=user_id, key=key, today=today) if _policy is not None else True
