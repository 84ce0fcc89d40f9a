"""What is due for a person: the item every feature contributes to the role dashboards.

It lives on the lowest floor so that each app (trainees, competencies, evaluations) can build
its own items with it; dashboards/due.py gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone


@dataclass(frozen=True)
class DueItem:
    title: str
    url: str
    due: date | None = None
    detail: str = ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()
