"""What the role home pages gather from the floors below, each in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
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
    # Each figure counts the enrolments of one cohort, in a subquery per cohort: a lecturer
    # teaches a few cohorts, and counting there costs less than a GROUP BY over every enrolment
    # joined to the cohorts' programme and organisation rows, each checked against IN
    # (subquery) lists (issue #15). Only the columns the page shows are read.
    def count(enrolments: QuerySet[Enrolment]) -> Coalesce:
        per_cohort = enrolments.filter(cohort_id=OuterRef("pk")).order_by().values("cohort_id")
        return Coalesce(Subquery(per_cohort.annotate(n=Count("pk")).values("n")), 0)

    reviewing = trainee_due.with_review_base(with_last_review(Enrolment.objects.all()))
    lecturer_signed = ContractSignature.objects.filter(
        contract__enrolment=OuterRef("pk"), party=LearningContract.Party.LECTURER
    )
    return cohorts_visible_to(membership=membership).only(
        "name", "starts_on", "ends_on", "programme__title", "programme__organisation__name"
    ).annotate(
        in_training=count(Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)),
        reviews_due=count(reviewing.filter(trainee_due.review_due_q(today))),
        reviews_overdue=count(reviewing.filter(trainee_due.review_overdue_q(today))),
        contracts_to_sign=count(Enrolment.objects.filter(status__in=OPEN).exclude(Exists(lecturer_signed))),
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
