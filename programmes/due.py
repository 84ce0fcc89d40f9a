"""What is due for a person: the item every feature contributes to the role dashboards.

It lives on the lowest floor so that each app (trainees, competencies, evaluations) can build
its own items with it; dashboards/due.py gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Aggregate, Count, Q, QuerySet, Window
from django.utils import timezone

from core.links import url_with_pk
from core.prepared import Param, compiled_once
from core.status import StatusTag

# The kinds of due item, in the order a dashboard counts them (each source sets its kind).
KIND_LABELS = {
    "review": "Progress reviews",
    "contract": "Learning contracts to sign",
    "study_time": "Study time below plan",
    "evidence": "Evidence",
    "interview": "Interviews",
    "milestone": "Milestones",
}


@dataclass(frozen=True)
class DueItem:
    title: str
    url: str
    due: date | None = None
    detail: str = ""
    kind: str = ""  # a key of KIND_LABELS
    cohort: str = ""  # "Programme: Cohort", when the item belongs to one (for the filter)
    ward: str = ""  # the trainee's ward, when it has one (for the filter)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "Other")

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def status_tag(self) -> StatusTag | None:
        """"Overdue", or when it is due; None for an undated item (no tag)."""
        return self.status_tag_on(timezone.localdate())

    def status_tag_on(self, today: date) -> StatusTag | None:
        """status_tag as it reads on ``today``: for a list of items, the day read once."""
        if self.due is None:
            return None
        return StatusTag("Overdue", "red") if self.due < today else StatusTag(f"Due {self.due:%-d %b %Y}", "blue")


KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_LABELS)}


def urgency(item: DueItem) -> tuple:
    """The one order of every due list: overdue first, then soonest, undated last; on the same
    day, by kind in KIND_LABELS order. Sorts must be stable and each source must give the items
    of a kind in the order of its LIMIT query (due date, then pk), so that the home page's most
    urgent items are exactly the first of the full list."""
    return (item.due is None, item.due or date.max, KIND_RANK.get(item.kind, len(KIND_RANK)))


@dataclass(frozen=True)
class Tally:
    count: int
    overdue: int = 0


@dataclass(frozen=True)
class DuePreview:
    """What a source contributes to a home page, without building every item: how many of each
    kind it has (counted in SQL), and at least its first ``n`` items in urgency order (any others
    it gives sort after those). The first n of all the sources together are among the sources'
    first n."""

    tallies: dict[str, Tally] = field(default_factory=dict)  # by kind (a kind may count 0)
    most_urgent: list[DueItem] = field(default_factory=list)


def preview_of(items: list[DueItem]) -> DuePreview:
    """The preview of a full list, for a source whose full list costs less than its counts
    (a few items at most, whatever the data size)."""
    tallies = {}
    for item in items:
        tally = tallies.get(item.kind, Tally(0))
        tallies[item.kind] = Tally(tally.count + 1, tally.overdue + item.overdue)
    return DuePreview(tallies=tallies, most_urgent=items)


def first_with_tallies(rows: QuerySet, n: int, **tallies: Aggregate) -> QuerySet:
    """The first ``n`` of ``rows`` (in their order), each with ``tallies`` (name: an aggregate
    such as Count) over all of them: window aggregates over the whole set are worked out before
    the LIMIT, so a home page's counts and its most urgent items cost one round trip, and a
    source with nothing due returns no row (see tallies_of). The tallies' names must not be
    fields of the rows. ``n`` must be at least 1 (a home page shows some)."""
    if n < 1:
        raise ValueError("first_with_tallies needs n >= 1")
    return rows.annotate(**{name: Window(tally) for name, tally in tallies.items()})[:n]


def tallies_of(found: list[dict], *names: str) -> dict[str, int]:
    """The tallies of first_with_tallies's rows: every row carries them; no row, all 0."""
    return {name: found[0][name] if found else 0 for name in names}


MILESTONE_SOON_DAYS = 14


@compiled_once
def _milestones_due(n: int | None = None) -> QuerySet:
    """A training lead's organisation's milestones not yet done that are late or due by
    ``horizon`` (two weeks on), soonest first; with ``n``, the first n and their counts
    (first_with_tallies). Params: organisation_id, horizon, and today with ``n``. Compiled once
    (core.prepared): the lead's home page runs it on every visit."""
    from .models import Milestone

    milestones = Milestone.objects.filter(
        programme__organisation_id=Param("organisation_id"), done_on__isnull=True,
        due_on__lte=Param("horizon"),
    ).order_by("due_on", "pk").values("pk", "title", "due_on", "programme_id", "programme__title")
    if n is None:
        return milestones
    return first_with_tallies(
        milestones, n, due_count=Count("pk"), overdue_count=Count("pk", filter=Q(due_on__lt=Param("today"))),
    )


def _leads_milestones(membership) -> bool:
    from .models import Role

    return membership is not None and membership.role == Role.TRAINING_LEAD


def _milestone_item(row: dict) -> DueItem:
    return DueItem(
        title=f"Milestone: {row['title']}",
        url=url_with_pk("programmes:detail", row["programme_id"], kwarg="pk") + "#milestones",
        due=row["due_on"],
        detail=row["programme__title"],
        kind="milestone",
    )


def milestones_due_for(membership) -> list[DueItem]:
    """For training leads: milestones late or due in the next two weeks. One query."""
    if not _leads_milestones(membership):
        return []
    horizon = timezone.localdate() + timedelta(days=MILESTONE_SOON_DAYS)
    rows = _milestones_due().rows(organisation_id=membership.organisation_id, horizon=horizon)
    return [_milestone_item(row) for row in rows]


def milestones_preview_for(membership, n: int) -> DuePreview:
    """The counts and the first ``n`` of milestones_due_for. One query for a training lead."""
    if not _leads_milestones(membership):
        return DuePreview()
    today = timezone.localdate()
    first = _milestones_due(n).rows(
        organisation_id=membership.organisation_id, horizon=today + timedelta(days=MILESTONE_SOON_DAYS), today=today,
    )
    counts = tallies_of(first, "due_count", "overdue_count")
    return DuePreview(
        tallies={"milestone": Tally(counts["due_count"], counts["overdue_count"])},
        most_urgent=[_milestone_item(row) for row in first],
    )
