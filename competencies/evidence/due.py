"""What evidence is due for the person acting, for the role dashboards.

``due_for(membership)`` returns programmes.due.DueItem items (title, url, due, detail). One
query for any role, whatever the amount of evidence:

- a mentor: each piece of their mentees' evidence waiting for assessment, due two weeks after
  it was submitted (or last changed by the trainee), as the learning contract asks;
- a trainee: each piece of their evidence returned for changes, with what the assessor said;
- a training lead: one item counting evidence waiting with no mentor to assess it.

``preview_for(membership, n)`` gives the home page the count and the first ``n`` of them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Count, Q, Value
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone

from core.links import url_with_pk
from core.prepared import Param, compiled_once, membership_params
from programmes.due import DueItem, DuePreview, Tally, first_with_tallies, preview_of, tallies_of
from programmes.models import Membership, Role

from ..models import Evidence
from .selectors import returned_comment_subquery

ASSESS_WITHIN = timedelta(weeks=2)  # the mentor's undertaking in the default learning contract


@compiled_once
def _waiting_for_mentor(n: int | None = None):
    """The mentor's mentees' evidence waiting for assessment, oldest first; with ``n``, the first
    n and how many are waiting and overdue (first_with_tallies). Params: user_id,
    organisation_id, and ``late`` with ``n``. Compiled once (core.prepared): the mentor's home
    page runs it on every visit."""
    waiting = (
        Evidence.objects.filter(
            status=Evidence.Status.SUBMITTED,
            trainee__mentor_id=Param("user_id"),
            trainee__organisation_id=Param("organisation_id"),
        )
        .exclude(trainee__user_id=Param("user_id"))
        .order_by("updated_at", "pk")
        .values("pk", "title", "updated_at", "trainee__first_name", "trainee__last_name",
                "trainee__clinical_area__name")
    )
    if n is None:
        return waiting
    return first_with_tallies(
        waiting, n, waiting=Count("pk"), overdue=Count("pk", filter=Q(updated_at__lt=Param("late"))),
    )


def _mentor_item(row: dict) -> DueItem:
    submitted = timezone.localdate(row["updated_at"])
    name = f"{row['trainee__first_name']} {row['trainee__last_name']}".strip()
    return DueItem(
        title=f"Assess “{row['title']}” from {name}",
        url=url_with_pk("evidence:detail", row["pk"], kwarg="pk"),
        due=submitted + ASSESS_WITHIN,
        detail=f"Submitted {submitted.day} {submitted:%b %Y}. Sign it off, or return it with what to change.",
        kind="evidence", ward=row["trainee__clinical_area__name"] or "",
    )


def _for_mentor(membership: Membership) -> list[DueItem]:
    return [_mentor_item(row) for row in _waiting_for_mentor().rows(**membership_params(membership))]


def _preview_for_mentor(membership: Membership, n: int) -> DuePreview:
    # Due ASSESS_WITHIN after the local day it was submitted: overdue when submitted before the
    # local midnight that starts the day ASSESS_WITHIN ago.
    late = timezone.make_aware(datetime.combine(timezone.localdate() - ASSESS_WITHIN, time.min))
    first = _waiting_for_mentor(n).rows(**membership_params(membership), late=late)
    counts = tallies_of(first, "waiting", "overdue")
    return DuePreview(
        tallies={"evidence": Tally(counts["waiting"], counts["overdue"])},
        most_urgent=[_mentor_item(row) for row in first],
    )


@compiled_once
def _returned_to_trainee():
    """The trainee's evidence returned for changes (Params user_id, organisation_id). Compiled
    once (core.prepared): the trainee's home page runs it on every visit."""
    return (
        Evidence.objects.filter(
            status=Evidence.Status.RETURNED,
            trainee__user_id=Param("user_id"),
            trainee__organisation_id=Param("organisation_id"),
        )
        .annotate(return_comment=returned_comment_subquery())
        .order_by("assessed_at", "pk")
        .values("pk", "title", "return_comment", "assessed_by__first_name", "assessed_by__last_name")
    )


def _trainee_item(row: dict) -> DueItem:
    who = f"{row['assessed_by__first_name'] or ''} {row['assessed_by__last_name'] or ''}".strip()
    said = truncatechars(row["return_comment"] or "", 140)
    return DueItem(
        title=f"Change and resubmit “{row['title']}”",
        url=url_with_pk("evidence:detail", row["pk"], kwarg="pk"),
        detail=f"{who or 'Your assessor'} returned it: {said}" if said else "Returned for changes.",
        kind="evidence",
    )


def _for_trainee(membership: Membership) -> list[DueItem]:
    return [_trainee_item(row) for row in _returned_to_trainee().rows(**membership_params(membership))]


@compiled_once
def _waiting_with_no_mentor():
    """How many pieces of evidence of the organisation (Param organisation_id) wait with no
    mentor to assess them, and of how many trainees: one row (as aggregate() would count them;
    the constant groups nothing). Compiled once (core.prepared): the lead's home page asks."""
    return (
        Evidence.objects.filter(
            status=Evidence.Status.SUBMITTED,
            trainee__organisation_id=Param("organisation_id"),
            trainee__mentor__isnull=True,
        )
        .order_by().values(everything=Value(1))
        .annotate(n=Count("pk"), trainees=Count("trainee", distinct=True)).values("n", "trainees")
    )


def _for_training_lead(membership: Membership) -> list[DueItem]:
    counts = _waiting_with_no_mentor().rows(organisation_id=membership.organisation_id)
    if not counts or not counts[0]["n"]:
        return []
    n, trainees = counts[0]["n"], counts[0]["trainees"]
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
PREVIEWS = {
    Role.MENTOR: _preview_for_mentor,
    # A trainee's own pieces returned for changes are a handful, and a lead's is one item
    # counting them all: their full lists, in one query, cost less than counting them.
    Role.TRAINEE: lambda membership, n: preview_of(_for_trainee(membership)),
    Role.TRAINING_LEAD: lambda membership, n: preview_of(_for_training_lead(membership)),
}


def due_for(membership: Membership | None) -> list[DueItem]:
    """The evidence items due for the acting person (see the module docstring). One query."""
    if membership is None:
        return []
    source = SOURCES.get(membership.role)
    return source(membership) if source else []


def preview_for(membership: Membership | None, n: int) -> DuePreview:
    """due_for's count (and how many are overdue) and its first ``n`` items. One query."""
    if membership is None:
        return DuePreview()
    preview = PREVIEWS.get(membership.role)
    return preview(membership, n) if preview else DuePreview()
