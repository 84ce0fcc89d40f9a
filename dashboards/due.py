"""What is due for the person acting: the heart of every role's dashboard.

Each feature contributes a source: a function taking the acting membership and returning
DueItems (reviews owed by a manager, evidence waiting for a mentor, contracts to sign, ...).
A source must cost a fixed number of queries whatever the data size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from programmes.models import Membership


@dataclass(frozen=True)
class DueItem:
    title: str
    url: str
    due: date | None = None
    detail: str = ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


DueSource = Callable[[Membership], list[DueItem]]

# Features add their sources here (dashboards sits above every app, so it may import them).
SOURCES: list[DueSource] = []


def due_items_for(membership: Membership) -> list[DueItem]:
    items = [item for source in SOURCES for item in source(membership)]
    # Overdue first, then soonest; undated items last.
    return sorted(items, key=lambda item: (item.due is None, item.due or date.max, item.title))
