"""What is due for a person on the trainees they work with, for their dashboard.

``due_for(membership)`` returns programmes.due.DueItem items (title, url, due date or None,
detail):

- progress reviews due within REVIEW_SOON, or overdue: for line managers, lecturers and
  trainees, on active enrolments;
- learning contracts waiting for the person's signature: trainees, mentors, managers and
  lecturers, on open enrolments;
- study time below plan (selectors.STUDY_TIME_WARNING): for line managers, on active
  enrolments.

It costs one query whatever the number of trainees (figures and signatures are annotated).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from programmes.due import DueItem
from programmes.models import Membership, Role

from . import selectors

REVIEW_SOON = timedelta(weeks=4)
REVIEW_ROLES = (Role.MANAGER, Role.LECTURER, Role.TRAINEE)




def due_for(membership: Membership | None) -> list[DueItem]:
    party = selectors.party_of(membership)
    if party is None:  # training leads and planners sign nothing and hold no reviews
        return []
    role = membership.role
    today = timezone.localdate()
    # Only what the items show: not the trainees' managers and mentors (two user rows each).
    visible = selectors.enrolments_visible_to(membership=membership).select_related(None).select_related(
        "trainee__clinical_area", "cohort__programme"
    )
    enrolments = selectors.with_signed_parties(selectors.with_progress_figures(
        visible.filter(status__in=selectors.OPEN_STATUSES)
    ))
    items: list[DueItem] = []
    for enrolment in enrolments:
        progress = selectors.progress_of(enrolment, today)
        url = reverse("trainees:enrolment_detail", kwargs={"pk": enrolment.pk})
        own = role == Role.TRAINEE
        name = enrolment.trainee.full_name
        where = f"{enrolment.cohort.programme.title}: {enrolment.cohort.name}"
        area = enrolment.trainee.clinical_area
        place = {"cohort": where, "ward": area.name if area else ""}

        due = progress.review_due
        if role in REVIEW_ROLES and due and due <= today + REVIEW_SOON:
            overdue = "Overdue: reviews are due at least every 12 weeks. "
            items.append(DueItem(
                title="Your progress review" if own else f"Progress review with {name}",
                url=url, due=due, detail=(overdue if progress.review_overdue else "") + where,
                kind="review", **place,
            ))
        if not getattr(enrolment, f"signed_{party}"):
            items.append(DueItem(
                title="Sign your learning contract" if own else f"Sign {name}'s learning contract",
                url=f"{url}#contract",
                detail=(
                    f"{progress.signature_count} of {selectors.PARTY_COUNT} have signed. {where}"
                ),
                kind="contract", **place,
            ))
        if role == Role.MANAGER and progress.below_plan:
            study = progress.study
            items.append(DueItem(
                title=f"{name}'s study time is below plan",
                url=f"{url}#study-time",
                detail=(
                    f"{study.taken:.1f} of {study.planned:.1f} planned hours taken "
                    f"({study.percent}%)."
                ),
                kind="study_time", **place,
            ))
    return items
