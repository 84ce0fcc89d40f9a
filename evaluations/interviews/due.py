"""Interviews the acting person must get done, for their dashboard and /my/interviews/.

``due_for(membership)`` returns programmes.due.DueItem items (title, url, due, detail):
a manager's own manager interviews, and the trainee interviews
a training lead must hold, at stages that are open. One query, whatever the numbers.
``preview_for(membership, n)`` gives the home page their count and the first ``n``.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from programmes.due import DueItem, DuePreview, Tally, first_with_tallies
from programmes.models import Membership

from ..models import Interview, Stage

PENDING = (Interview.Status.DUE, Interview.Status.DRAFT)


def interview_title(interview: Interview, viewer_id: int | None = None) -> str:
    """"Mid-way interview with Sam Trainee"; "Your manager interview: Mid-way" for the manager
    themself. Needs stage, enrolment__trainee and manager loaded."""
    stage = interview.stage.name
    if interview.subject == "manager":
        if interview.manager_id == viewer_id:
            return f"Your manager interview: {stage}"
        manager = interview.manager
        return f"{stage} manager interview with {manager.get_full_name() or manager.get_username()}"
    return f"{stage} interview with {interview.enrolment.trainee.full_name}"


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


def _ward_of(interview: Interview) -> str:
    area = interview.enrolment.trainee.clinical_area if interview.enrolment_id else None
    return area.name if area else ""


def _item(interview: Interview, viewer_id: int) -> DueItem:
    detail = interview.stage.cohort.name
    if interview.status == Interview.Status.DRAFT:
        detail += " – in progress, a draft is saved"
    return DueItem(
        title=interview_title(interview, viewer_id),
        url=reverse("interviews:interview_detail", kwargs={"pk": interview.pk}),
        due=interview.stage.due_on,
        detail=detail,
        kind="interview",
        cohort=f"{interview.stage.cohort.programme.title}: {interview.stage.cohort.name}",
        ward=_ward_of(interview),
    )


# What the items show, and no more: a lead's interviews join seven tables, and their other
# columns (the programme's long texts, the trainee's record, the manager's password hash) cost
# more to read and load than the rest of the query.
ITEM_FIELDS = (
    "subject", "status", "manager_id", "enrolment_id", "stage__name", "stage__due_on", "stage__cohort__name",
    "stage__cohort__programme__title", "enrolment__trainee__first_name", "enrolment__trainee__last_name",
    "enrolment__trainee__clinical_area__name", "manager__first_name", "manager__last_name", "manager__username",
)


def due_for(membership: Membership | None) -> list[DueItem]:
    return [_item(interview, membership.user_id) for interview in pending_for(membership).only(*ITEM_FIELDS)]


def preview_for(membership: Membership | None, n: int) -> DuePreview:
    """due_for's count (and how many are overdue) and its first ``n`` items. One query when
    nothing is pending, two otherwise."""
    if membership is None:
        return DuePreview()
    pending = pending_for(membership)
    # The count and the first n chosen on the interviews and their stages alone, then only
    # those joined to what the items show: PostgreSQL takes longer to plan the seven joins
    # than to run them, and plans them faster for a few ids than for one ORDER BY ... LIMIT
    # over them all.
    first, counts = first_with_tallies(
        pending.select_related(None).values("pk"), n,
        pending=Count("pk"), overdue=Count("pk", filter=Q(stage__due_on__lt=timezone.localdate())),
    )
    items = pending.filter(pk__in=[row["pk"] for row in first]).only(*ITEM_FIELDS) if first else []
    return DuePreview(
        tallies={"interview": Tally(counts["pending"], counts["overdue"])},
        most_urgent=[_item(interview, membership.user_id) for interview in items],
    )
