"""What the role home pages gather from the floors below, each in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from programmes.models import Cohort, Membership
from programmes.selectors import cohorts_visible_to
from trainees import due as trainee_due
from trainees.models import ContractSignature, Enrolment, LearningContract, Trainee
from trainees.selectors import with_last_review

OPEN = (Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)


def lecturer_cohorts(*, membership: Membership, today: date | None = None) -> QuerySet[Cohort]:
    """The cohorts the lecturer teaches, newest first, with what is due in each for them:
    trainees in training, progress reviews due soon or overdue (lecturers take part in reviews:
    trainees.due's rule, as on their list of what is due), and learning contracts still waiting
    for a lecturer's signature. One query."""
    today = today or timezone.localdate()
    # Only the enrolments on the cohorts this lecturer teaches: an IN over every open
    # enrolment in the country would grow with the whole database (issue #15).
    taught = Enrolment.objects.filter(cohort__lecturers=membership.user_id)
    lecturer_signed = ContractSignature.objects.filter(
        contract__enrolment=OuterRef("pk"), party=LearningContract.Party.LECTURER
    )
    waiting = taught.filter(status__in=OPEN).annotate(
        signed=Exists(lecturer_signed)
    ).filter(signed=False).values("pk")
    reviewing = trainee_due.with_review_base(with_last_review(taught))
    return cohorts_visible_to(membership=membership).annotate(
        in_training=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ACTIVE),
                          distinct=True),
        reviews_due=Count("enrolments", distinct=True, filter=Q(
            enrolments__in=reviewing.filter(trainee_due.review_due_q(today)).values("pk"))),
        reviews_overdue=Count("enrolments", distinct=True, filter=Q(
            enrolments__in=reviewing.filter(trainee_due.review_overdue_q(today)).values("pk"))),
        contracts_to_sign=Count("enrolments", filter=Q(enrolments__in=waiting), distinct=True),
    ).order_by("-starts_on", "pk")


def manager_wards(*, membership: Membership) -> list[dict]:
    """The wards of the trainees the manager line-manages, with how many trainees on each.
    One query."""
    rows = (
        Trainee.objects.filter(organisation_id=membership.organisation_id,
                               line_manager_id=membership.user_id)
        .values("clinical_area_id", "clinical_area__name")
        .annotate(trainees=Count("pk"))
        .order_by("clinical_area__name")
    )
    return [{"name": row["clinical_area__name"] or "No ward recorded", "trainees": row["trainees"]}
            for row in rows]
