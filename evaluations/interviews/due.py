"""Interviews the acting person must get done, for their dashboard and /my/interviews/.

``due_for(membership)`` returns programmes.due.DueItem items (title, url, due, detail):
a manager's own manager interviews, and the trainee interviews
a training lead must hold, at stages that are open. One query, whatever the numbers.
"""

from __future__ import annotations

from django.urls import reverse

from programmes.due import DueItem
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


def due_for(membership: Membership | None) -> list[DueItem]:
    items = []
    for interview in pending_for(membership):
        detail = interview.stage.cohort.name
        if interview.status == Interview.Status.DRAFT:
            detail += " – in progress, a draft is saved"
        items.append(DueItem(
            title=interview_title(interview, membership.user_id),
            url=reverse("interviews:interview_detail", kwargs={"pk": interview.pk}),
            due=interview.stage.due_on,
            detail=detail,
            kind="interview",
            cohort=f"{interview.stage.cohort.programme.title}: {interview.stage.cohort.name}",
            ward=_ward_of(interview),
        ))
    return items
