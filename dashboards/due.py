"""What is due for the person acting: the heart of every role's dashboard.

Each feature contributes a source: a function taking the acting membership and returning
programmes.due.DueItem objects (reviews owed by a manager, evidence waiting for a mentor,
contracts to sign, interviews due), for the full list; and a preview of it for the home page,
counted in SQL with only the most urgent items built. A source must cost a fixed number of
queries whatever the data size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from competencies.evidence import due as evidence_due
from evaluations.interviews import due as interview_due
from programmes.due import (
    KIND_LABELS,
    DueItem,
    DuePreview,
    milestones_due_for,
    milestones_preview_for,
    urgency,
)
from programmes.models import Membership
from trainees import due as trainee_due


@dataclass(frozen=True)
class DueSource:
    items: Callable[[Membership], list[DueItem]]  # every item; a kind's in its preview's LIMIT order
    preview: Callable[[Membership, int], DuePreview]  # the counts, and at least the source's first n


SOURCES: list[DueSource] = [
    DueSource(milestones_due_for, milestones_preview_for),
    DueSource(trainee_due.due_for, trainee_due.preview_for),
    DueSource(evidence_due.due_for, evidence_due.preview_for),
    DueSource(interview_due.due_for, interview_due.preview_for),
]


def due_items_for(membership: Membership) -> list[DueItem]:
    """Everything due, most urgent first (programmes.due.urgency; sorted stably)."""
    return sorted((item for source in SOURCES for item in source.items(membership)), key=urgency)


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


def due_summary_for(membership: Membership, shown: int = SHOWN_ON_HOME, *,
                    trainee_preview: DuePreview | None = None) -> DueSummary:
    """Counts per kind and the first ``shown`` of due_items_for, without building the rest: each
    source gives at least its own first ``shown``, so the first ``shown`` of them all, sorted the
    same stable way, are the full list's. ``trainee_preview``: the trainees source's preview
    when the page has read it already, with a figure of its own (trainee_due.teaching_preview)."""
    previews = [
        trainee_preview if source.preview is trainee_due.preview_for and trainee_preview is not None
        else source.preview(membership, shown)
        for source in SOURCES
    ]
    tallies = {kind: tally for preview in previews for kind, tally in preview.tallies.items() if tally.count}
    order = [*KIND_LABELS, *sorted(set(tallies) - set(KIND_LABELS))]
    return DueSummary(
        counts=[
            DueCount(kind, KIND_LABELS.get(kind, "Other"), tallies[kind].count, tallies[kind].overdue)
            for kind in order if kind in tallies
        ],
        most_urgent=sorted((item for preview in previews for item in preview.most_urgent), key=urgency)[:shown],
        total=sum(tally.count for tally in tallies.values()),
    )


def filter_items(items: list[DueItem], *, kind: str = "", cohort: str = "", ward: str = "") -> list[DueItem]:
    """The items of one kind, cohort and ward (each ignored when empty), order kept."""
    return [
        item for item in items
        if (not kind or item.kind == kind) and (not cohort or item.cohort == cohort)
        and (not ward or item.ward == ward)
    ]
