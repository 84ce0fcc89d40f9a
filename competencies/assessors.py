"""Who may assess a trainee: the one rule, in one place, so that cross-organisation assessors on
joint programmes (delegation) can extend it here.

Today: the trainee's own mentor (named on the trainee's record), acting as a mentor / assessor
of the trainee's organisation, never on their own record. Line managers, lecturers and training
leads do not assess: to have someone else assess, a training lead changes the trainee's mentor.
"""

from __future__ import annotations

from django.db.models import QuerySet

from programmes.models import Membership, Role
from trainees.models import Trainee


def can_assess_trainee(membership: Membership | None, trainee: Trainee) -> bool:
    """Whether the acting membership may assess this trainee. Costs no query."""
    return (
        membership is not None
        and membership.role == Role.MENTOR
        and membership.organisation_id == trainee.organisation_id
        and trainee.mentor_id == membership.user_id
        and trainee.user_id != membership.user_id
    )


def user_may_assess_trainee(user, trainee: Trainee) -> bool:
    """The same rule for a user (services, commands): one query."""
    if user is None or not user.is_authenticated:
        return False
    if trainee.mentor_id != user.pk or trainee.user_id == user.pk:
        return False
    return (
        Membership.objects.active()
        .filter(user=user, organisation_id=trainee.organisation_id, role=Role.MENTOR)
        .exists()
    )


def trainees_assessed_by(membership: Membership | None) -> QuerySet[Trainee]:
    """The trainees this membership assesses (no query until read)."""
    if membership is None or membership.role != Role.MENTOR:
        return Trainee.objects.none()
    return Trainee.objects.filter(organisation_id=membership.organisation_id, mentor_id=membership.user_id).exclude(
        user_id=membership.user_id
    )
