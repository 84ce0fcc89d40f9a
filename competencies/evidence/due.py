"""What evidence is due for the person acting, for the role dashboards.

``due_for(membership)`` returns programmes.due.DueItem items (title, url, due, detail). One
query for any role, whatever the amount of evidence:

- a mentor: each piece of their mentees' evidence waiting for assessment, due two weeks after
  it was submitted (or last changed by the trainee), as the learning contract asks;
- a trainee: each piece of their evidence returned for changes, with what the assessor said;
- a training lead: one item counting evidence waiting with no mentor to assess it.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone

from programmes.due import DueItem
from programmes.models import Membership, Role

from ..models import Evidence
from .selectors import returned_comment_subquery

ASSESS_WITHIN = timedelta(weeks=2)  # the mentor's undertaking in the default learning contract



def _for_mentor(membership: Membership) -> list[DueItem]:
    waiting = (
        Evidence.objects.filter(
            status=Evidence.Status.SUBMITTED,
            trainee__mentor_id=membership.user_id,
            trainee__organisation_id=membership.organisation_id,
        )
        .exclude(trainee__user_id=membership.user_id)
        .order_by("updated_at", "pk")
        .values("pk", "title", "updated_at", "trainee__first_name", "trainee__last_name",
                "trainee__clinical_area__name")
    )
    items = []
    for row in waiting:
        submitted = timezone.localdate(row["updated_at"])
        name = f"{row['trainee__first_name']} {row['trainee__last_name']}".strip()
        items.append(DueItem(
            title=f"Assess “{row['title']}” from {name}",
            url=reverse("evidence:detail", kwargs={"pk": row["pk"]}),
            due=submitted + ASSESS_WITHIN,
            detail=f"Submitted {submitted.day} {submitted:%b %Y}. Sign it off, or return it with what to change.",
            kind="evidence", ward=row["trainee__clinical_area__name"] or "",
        ))
    return items


def _for_trainee(membership: Membership) -> list[DueItem]:
    returned = (
        Evidence.objects.filter(
            status=Evidence.Status.RETURNED,
            trainee__user_id=membership.user_id,
            trainee__organisation_id=membership.organisation_id,
        )
        .annotate(return_comment=returned_comment_subquery())
        .order_by("assessed_at", "pk")
        .values("pk", "title", "return_comment", "assessed_by__first_name", "assessed_by__last_name")
    )
    items = []
    for row in returned:
        who = f"{row['assessed_by__first_name'] or ''} {row['assessed_by__last_name'] or ''}".strip()
        said = truncatechars(row["return_comment"] or "", 140)
        items.append(DueItem(
            title=f"Change and resubmit “{row['title']}”",
            url=reverse("evidence:detail", kwargs={"pk": row["pk"]}),
            detail=f"{who or 'Your assessor'} returned it: {said}" if said else "Returned for changes.",
            kind="evidence",
        ))
    return items


def _for_training_lead(membership: Membership) -> list[DueItem]:
    counts = Evidence.objects.filter(
        status=Evidence.Status.SUBMITTED,
        trainee__organisation_id=membership.organisation_id,
        trainee__mentor__isnull=True,
    ).aggregate(n=Count("pk"), trainees=Count("trainee", distinct=True))
    if not counts["n"]:
        return []
    n, trainees = counts["n"], counts["trainees"]
    return [DueItem(
        title=(f"{n} piece{'s' if n != 1 else ''} of evidence waiting with no mentor to assess "
               f"{'them' if n != 1 else 'it'}"),
        url=f"{reverse('evidence:list')}?status=submitted&unassigned=1",
        detail=(f"{trainees} trainee{'s have' if trainees != 1 else ' has'} no mentor. "
                "Give each trainee a mentor so their evidence can be assessed."),
        kind="evidence",
    )]


SOURCES = {
    Role.MENTOR: _for_mentor,
    Role.TRAINEE: _for_trainee,
    Role.TRAINING_LEAD: _for_training_lead,
}


def due_for(membership: Membership | None) -> list[DueItem]:
    """The evidence items due for the acting person (see the module docstring). One query."""
    if membership is None:
        return []
    source = SOURCES.get(membership.role)
    return source(membership) if source else []
