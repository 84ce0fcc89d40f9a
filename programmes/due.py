"""What is due for a person: the item every feature contributes to the role dashboards.

It lives on the lowest floor so that each app (trainees, competencies, evaluations) can build
its own items with it; dashboards/due.py gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

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


MILESTONE_SOON_DAYS = 14


def milestones_due_for(membership) -> list[DueItem]:
    """For training leads: their organisation's milestones not yet done that are late or due in
    the next two weeks. One query."""
    from datetime import timedelta

    from django.urls import reverse

    from .models import Milestone, Role

    if membership is None or membership.role != Role.TRAINING_LEAD:
        return []
    horizon = timezone.localdate() + timedelta(days=MILESTONE_SOON_DAYS)
    milestones = Milestone.objects.filter(
        programme__organisation_id=membership.organisation_id, done_on__isnull=True,
        due_on__lte=horizon,
    ).select_related("programme").order_by("due_on")
    return [
        DueItem(
            title=f"Milestone: {m.title}",
            url=reverse("programmes:detail", kwargs={"pk": m.programme_id}) + "#milestones",
            due=m.due_on,
            detail=m.programme.title,
            kind="milestone",
        )
        for m in milestones
    ]
