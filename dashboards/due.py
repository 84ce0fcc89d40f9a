"""What is due for the person acting: the heart of every role's dashboard.

Each feature contributes a source: a function taking the acting membership and returning
programmes.due.DueItem objects (reviews owed by a manager, evidence waiting for a mentor,
contracts to sign, interviews due). A source must cost a fixed number of queries whatever
the data size.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from competencies.evidence import due as evidence_due
from evaluations.interviews import due as interview_due
from programmes.due import DueItem, milestones_due_for
from programmes.models import Membership
from trainees import due as trainee_due

DueSource = Callable[[Membership], list[DueItem]]

SOURCES: list[DueSource] = [
    milestones_due_for, trainee_due.due_for, evidence_due.due_for, interview_due.due_for,
]


def due_items_for(membership: Membership) -> list[DueItem]:
    items = [item for source in SOURCES for item in source(membership)]
    # Overdue first, then soonest; undated items last.
    return sorted(items, key=lambda item: (item.due is None, item.due or date.max, item.title))
