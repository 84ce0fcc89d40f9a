"""What is due for the person acting: the heart of every role's dashboard.

Each feature contributes a source: a function taking the acting membership and returning
programmes.due.DueItem objects (reviews owed by a manager, evidence waiting for a mentor,
contracts to sign, interviews due). A source must cost a fixed number of queries whatever
the data size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from competencies.evidence import due as evidence_due
from evaluations.interviews import due as interview_due
from programmes.due import KIND_LABELS, DueItem, milestones_due_for
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


# The home page shows how many things of each kind are due, and the most urgent few; the rest
# are on the full list (dashboards:due), paginated and filtered.
SHOWN_ON_HOME = 20
DUE_PAGE_SIZE = 25


@dataclass(frozen=True)
class DueCount:
    kind: str
    label: str
    count: int
    overdue: int


@dataclass(frozen=True)
class DueSummary:
    counts: list[DueCount]  # one per kind that has something due, in KIND_LABELS order
    most_urgent: list[DueItem]  # the first SHOWN_ON_HOME of due_items_for's order
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.most_urgent)


def summarise(items: list[DueItem], shown: int = SHOWN_ON_HOME) -> DueSummary:
    """Counts per kind and the most urgent ``shown`` of items already in urgency order."""
    counts = Counter(item.kind for item in items)
    overdue = Counter(item.kind for item in items if item.overdue)
    order = [*KIND_LABELS, *sorted(set(counts) - set(KIND_LABELS))]
    return DueSummary(
        counts=[
            DueCount(kind, KIND_LABELS.get(kind, "Other"), counts[kind], overdue[kind])
            for kind in order if counts[kind]
        ],
        most_urgent=items[:shown],
        total=len(items),
    )


def filter_items(items: list[DueItem], *, kind: str = "", cohort: str = "", ward: str = "") -> list[DueItem]:
    """The items of one kind, cohort and ward (each ignored when empty), order kept."""
    return [
        item for item in items
        if (not kind or item.kind == kind) and (not cohort or item.cohort == cohort)
        and (not ward or item.ward == ward)
    ]
