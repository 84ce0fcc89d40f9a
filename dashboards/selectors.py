"""What the role home pages gather from the floors below, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from programmes.models import Cohort, Membership
from programmes.selectors import cohorts_visible_to
from trainees.models import ContractSignature, Enrolment, LearningContract, Trainee

OPEN = (Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)


def lecturer_cohorts(*, membership: Membership) -> QuerySet[Cohort]:
    """The cohorts the lecturer teaches, newest first, with what is due in each: trainees in
    training, and learning contracts still waiting for a lecturer's signature. One query."""
    lecturer_signed = ContractSignature.objects.filter(
        contract__enrolment=OuterRef("pk"), party=LearningContract.Party.LECTURER
    )
    # Only the enrolments on the cohorts this lecturer teaches: an IN over every open
    # enrolment in the country would grow with the whole database (issue #15).
    waiting = Enrolment.objects.filter(status__in=OPEN, cohort__lecturers=membership.user_id).annotate(
        signed=Exists(lecturer_signed)
    ).filter(signed=False).values("pk")
    return cohorts_visible_to(membership=membership).annotate(
        in_training=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ACTIVE),
                          distinct=True),
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
