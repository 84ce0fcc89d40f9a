"""Interviews the acting person must get done, for their dashboard and /my/interviews/.

``due_for(membership)`` returns programmes.due.DueItem items (title, url, due, detail):
a manager's own manager interviews, and the trainee interviews
a training lead must hold, at stages that are open. One query, whatever the numbers.
``preview_for(membership, n)`` gives the home page their count and the first ``n``.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.links import url_with_pk
from core.prepared import Param, Statement, compiled_once, membership_params, params_membership, statement
from programmes.due import DueItem, DuePreview, Tally, first_with_tallies, tallies_of
from programmes.models import Membership

from ..models import Interview, Stage

PENDING = (Interview.Status.DUE, Interview.Status.DRAFT)


def interview_title(interview: Interview, viewer_id: int | None = None) -> str:
    """"Mid-way interview with Sam Trainee"; "Your manager interview: Mid-way" for the manager
    themself. Needs stage, enrolment__trainee and manager loaded."""
    manager = interview.manager if interview.subject == "manager" and interview.manager_id != viewer_id else None
    return _title(
        stage=interview.stage.name, subject=interview.subject, manager_id=interview.manager_id,
        manager_name=manager and (manager.get_full_name() or manager.get_username()),
        trainee_name=interview.enrolment.trainee.full_name if interview.subject != "manager" else "",
        viewer_id=viewer_id,
    )


def _title(*, stage: str, subject: str, manager_id: int | None, manager_name: str | None, trainee_name: str,
           viewer_id: int | None) -> str:
    if subject == "manager":
        if manager_id == viewer_id:
            return f"Your manager interview: {stage}"
        return f"{stage} manager interview with {manager_name}"
    return f"{stage} interview with {trainee_name}"


def pending_for(membership: Membership | None):
    """Pending interviews of open stages this person is responsible for, in the acting
    organisation, soonest due first."""
    if membership is None:
        return Interview.objects.none()
    return (
        Interview.objects.filter(
            responsible_id=membership.user_id,
            status__in=PENDING,
            stage__status=Stage.Status.OPEN,
            stage__cohort__programme__organisation_id=membership.organisation_id,
        )
        .select_related(
            "stage", "stage__cohort__programme", "enrolment__trainee__clinical_area", "manager"
        )
        .order_by("stage__due_on", "pk")
    )


# What the items show, and no more: a lead's interviews join seven tables, and their other
# columns (the programme's long texts, the trainee's record, the manager's password hash) cost
# more to read and load than the rest of the query. Rows, not models: eight model instances an
# item cost more to build than the items themselves.
ITEM_FIELDS = (
    "pk", "subject", "status", "manager_id", "stage__name", "stage__due_on", "stage__cohort__name",
    "stage__cohort__programme__title", "enrolment__trainee__first_name", "enrolment__trainee__last_name",
    "enrolment__trainee__clinical_area__name", "manager__first_name", "manager__last_name", "manager__username",
)


def _item(row: dict, viewer_id: int) -> DueItem:
    cohort = row["stage__cohort__name"]
    manager_name = f"{row['manager__first_name'] or ''} {row['manager__last_name'] or ''}".strip()
    trainee_name = f"{row['enrolment__trainee__first_name'] or ''} {row['enrolment__trainee__last_name'] or ''}"
    return DueItem(
        title=_title(
            stage=row["stage__name"], subject=row["subject"], manager_id=row["manager_id"],
            manager_name=manager_name or row["manager__username"], trainee_name=trainee_name.strip(),
            viewer_id=viewer_id,
        ),
        url=url_with_pk("interviews:interview_detail", row["pk"], kwarg="pk"),
        due=row["stage__due_on"],
        detail=cohort + (" – in progress, a draft is saved" if row["status"] == Interview.Status.DRAFT else ""),
        kind="interview",
        cohort=f"{row['stage__cohort__programme__title']}: {cohort}",
        ward=row["enrolment__trainee__clinical_area__name"] or "",
    )


def due_for(membership: Membership | None) -> list[DueItem]:
    return [_item(row, membership.user_id) for row in pending_for(membership).values(*ITEM_FIELDS)]


# The home page's preview: the count and the first n chosen on the interviews and their stages
# alone, then only those joined to what the items show, in the same statement (a round trip
# fewer than asking for the items by their ids after): joined to every pending interview, the
# seven joins would be read for rows never shown. The items' part keeps the person's own column,
# as it lets PostgreSQL expect a few rows and look each join up by key rather than hash whole
# tables. Compiled once (core.prepared): every role's home page runs it on every visit.

@compiled_once
def _first_pending(n: int) -> Statement:
    """ITEM_FIELDS of pending_for's first ``n``, in its order, each with how many are pending and
    overdue (Params: user_id, organisation_id, today)."""
    first = first_with_tallies(
        pending_for(params_membership()).select_related(None).values("pk"), n,
        pending=Count("pk"), overdue=Count("pk", filter=Q(stage__due_on__lt=Param("today"))),
    )
    items = Interview.objects.filter(responsible_id=Param("user_id")).order_by().values(*ITEM_FIELDS)
    if connections[items.db].vendor == "postgresql":
        # Each of the first looked up by its key (LATERAL, OFFSET 0 so that it is not merged
        # into a join): planned for any person, a join hashed all their pending interviews'
        # seven joins (a lead's 400) for the 20 shown.
        items, join = items.filter(pk=RawSQL("f.pk", ())), "CROSS JOIN LATERAL ({items} OFFSET 0) i"
    else:
        join = "INNER JOIN ({items}) i ON i.pk = f.pk"  # SQLite has no LATERAL
    return statement(
        f"SELECT {', '.join(f'i.{name}' for name in ITEM_FIELDS)}, f.pending, f.overdue "  # noqa: S608  # nosec B608 (names of ours)
        f"FROM ({{first}}) f {join} ORDER BY i.stage__due_on, i.pk",
        (*ITEM_FIELDS, "pending", "overdue"), converted_from="items", first=first, items=items,
    )


def preview_for(membership: Membership | None, n: int) -> DuePreview:
    """due_for's count (and how many are overdue) and its first ``n`` items. One query."""
    if membership is None:
        return DuePreview()
    first = _first_pending(n).rows(**membership_params(membership), today=timezone.localdate())
    counts = tallies_of(first, "pending", "overdue")
    return DuePreview(
        tallies={"interview": Tally(counts["pending"], counts["overdue"])},
        most_urgent=[_item(row, membership.user_id) for row in first],
    )
