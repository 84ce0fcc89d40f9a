"""Reads for partnerships, cross-organisation assessment and delegation records, each scoped to
the acting membership.

Who sees what:
- partnerships: the training leads of the two organisations on it (the partner's lead sees a
  request to answer; nobody else learns that it was made); other roles are refused (403);
- a partner's registered practitioner (a mentor / assessor or line manager with a
  PractitionerRegistration): the evidence of the lead organisation's trainees enrolled on a
  programme their organisation ACCEPTED a partnership on, claiming a competency that
  partnership names; nothing else of those trainees;
- delegation records: the two organisations on it (delegator's and worker's): training leads
  and planners of either; the delegating practitioner; the worker's line manager and mentor;
  the worker themself; registered practitioners of the delegating organisation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from competencies.evidence.selectors import (
    COUNTED_STATUSES,
    attainment_for,
    delegation_readiness,
    reassessment_due,
)
from competencies.models import Competency, Evidence, EvidenceClaim
from core.access import get_scoped_or_404
from programmes.models import Membership, Partnership, Role
from trainees.models import Enrolment, Trainee

from .models import Delegation, PartnershipCompetency, PractitionerRegistration

PRACTITIONER_ROLES = (Role.MENTOR, Role.MANAGER)
LEADS = (Role.TRAINING_LEAD,)

# The changes made to a delegation record once it exists: get_delegation_for(write=...).
DelegationChange = Literal["acknowledge", "supervise", "manage"]


# --- Partnerships ---------------------------------------------------------------------------------


def partnerships_of(*, membership: Membership | None) -> QuerySet[Partnership]:
    """Partnerships the acting organisation is on, either side, newest first. One query."""
    if membership is None or membership.role not in LEADS:
        return Partnership.objects.none()
    org = membership.organisation_id
    return (
        Partnership.objects.filter(Q(programme__organisation_id=org) | Q(organisation_id=org))
        .select_related("programme", "programme__organisation", "organisation", "proposed_by")
        .order_by("-pk")
    )


def partnerships_party_to(*, membership: Membership | None) -> QuerySet[Partnership]:
    """For the API: the partnerships the acting organisation is on, either side, as its
    training leads and planners read them (other roles: none), with the competencies each
    names. Two queries."""
    if membership is None or membership.role not in (*LEADS, Role.PLANNER):
        return Partnership.objects.none()
    org = membership.organisation_id
    return (
        Partnership.objects.filter(Q(programme__organisation_id=org) | Q(organisation_id=org))
        .select_related("programme", "programme__organisation", "organisation")
        .prefetch_related("assessable_competencies")
        .order_by("-pk")
    )


def get_partnership_for(*, membership: Membership | None, pk, lead_side: bool = False) -> Partnership:
    """The partnership if the acting organisation is on it (404 otherwise); a role other than
    training lead: 403. ``lead_side``: 403 unless the acting organisation leads the programme."""
    if membership is not None and membership.role not in LEADS:
        raise PermissionDenied("Only training leads manage partnerships.")
    partnership = get_scoped_or_404(partnerships_of(membership=membership), membership, None, pk=pk)
    if lead_side and partnership.programme.organisation_id != membership.organisation_id:
        raise PermissionDenied("Only the lead organisation changes this.")
    return partnership


def is_lead_side(membership: Membership, partnership: Partnership) -> bool:
    return partnership.programme.organisation_id == membership.organisation_id


def partnerships_of_programme(*, programme) -> QuerySet[Partnership]:
    """Every partnership (and request) on the programme, for its lead organisation. One query."""
    return (
        programme.partnerships.select_related("organisation", "proposed_by", "ended_by_organisation")
        .order_by("-pk")
    )


def named_competencies(*, partnership: Partnership) -> QuerySet[PartnershipCompetency]:
    return partnership.assessable_competencies.select_related("competency__framework")


def why_competencies_are_fixed(partnership: Partnership) -> str | None:
    """Why the competencies a partnership names can no longer be changed, or None while it is
    open (asked or accepted). What an ended or declined partnership named is kept as its
    record: the partner's practitioners assess nothing on it, so a change would only rewrite
    history. Reads only the partnership's row."""
    if partnership.status == Partnership.Status.ENDED:
        when = f" on {timezone.localdate(partnership.ended_at):%-d %B %Y}" if partnership.ended_at else ""
        return (
            f"This partnership ended{when}: the competencies it named are kept as its record "
            "and cannot be changed. Ask the organisation to partner again to name new ones."
        )
    if partnership.status == Partnership.Status.DECLINED:
        return (
            "This partnership was declined: the competencies it named cannot be changed. "
            "Ask the organisation to partner again to name new ones."
        )
    return None


def competency_choices_for(*, partnership: Partnership) -> QuerySet[Competency]:
    """The competencies of the programme's role profile: what a partnership may name."""
    return (
        Competency.objects.filter(profile_items__profile__programme_id=partnership.programme_id)
        .select_related("framework")
        .distinct()
        .order_by("-is_delegated_task", "framework__short_name", "sort_order", "pk")
    )


# --- Registered practitioners and cross-organisation assessment ------------------------------------


def registration_of(membership: Membership | None) -> PractitionerRegistration | None:
    if membership is None or membership.role not in PRACTITIONER_ROLES:
        return None
    # Past its expiry date the registration no longer lets them assess or delegate.
    return PractitionerRegistration.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()), membership_id=membership.pk
    ).first()


def registrations_in(*, membership: Membership) -> QuerySet[PractitionerRegistration]:
    """The registered practitioners of the acting organisation (a training lead's list). One query."""
    return PractitionerRegistration.objects.filter(
        membership__organisation_id=membership.organisation_id
    ).select_related("membership__user").order_by(
        "membership__user__last_name", "membership__user__first_name", "pk"
    )


def get_registration_for(*, membership: Membership, pk: int) -> PractitionerRegistration:
    """One of the acting organisation's registrations, or 404."""
    return get_object_or_404(registrations_in(membership=membership), pk=pk)


def unregistered_practitioners(*, membership: Membership) -> QuerySet[Membership]:
    """The organisation's active mentors / assessors and line managers with no registration
    recorded yet: whom a lead may record one for."""
    return (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role__in=PRACTITIONER_ROLES,
                practitioner_registration__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def _assessing_partnerships(membership: Membership) -> QuerySet[Partnership]:
    return Partnership.objects.accepted().filter(organisation_id=membership.organisation_id)


def _enrolled_on_partnered(membership: Membership, trainee_ref) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        trainee_id=trainee_ref, status__in=COUNTED_STATUSES,
        cohort__programme__partnerships__in=_assessing_partnerships(membership),
    )


def partnership_for_assessing(*, membership: Membership, trainee: Trainee, competency_id: int):
    """The acting organisation's accepted partnership on a programme the trainee is enrolled
    on that names the competency, or None. One query."""
    programmes = Enrolment.objects.filter(
        trainee=trainee, status__in=COUNTED_STATUSES
    ).values("cohort__programme_id")
    return (
        _assessing_partnerships(membership)
        .filter(programme_id__in=programmes, assessable_competencies__competency_id=competency_id)
        .first()
    )


def _named_for(membership: Membership, trainee_ref) -> QuerySet[PartnershipCompetency]:
    """Competencies named on the acting organisation's accepted partnerships on programmes
    the trainee is enrolled on."""
    programmes = Enrolment.objects.filter(trainee_id=trainee_ref, status__in=COUNTED_STATUSES).values(
        "cohort__programme_id"
    )
    return PartnershipCompetency.objects.filter(
        partnership__in=_assessing_partnerships(membership).filter(programme_id__in=programmes)
    )


def partner_evidence_visible_to(*, membership: Membership | None) -> QuerySet[Evidence]:
    """Evidence a partner's registered practitioner may see: of another organisation's
    trainees on a programme their organisation accepted a partnership on, claiming a
    competency it names. Nothing for anyone else."""
    if registration_of(membership) is None:
        return Evidence.objects.none()
    named = PartnershipCompetency.objects.filter(
        partnership__in=_assessing_partnerships(membership),
        partnership__programme__cohorts__enrolments__trainee_id=OuterRef("evidence__trainee_id"),
        partnership__programme__cohorts__enrolments__status__in=COUNTED_STATUSES,
        competency_id=OuterRef("competency_id"),
    )
    claims = EvidenceClaim.objects.filter(evidence_id=OuterRef("pk")).filter(Exists(named))
    return (
        Evidence.objects.exclude(trainee__organisation_id=membership.organisation_id)
        .filter(Exists(claims))
        .select_related(
            "trainee", "trainee__organisation", "assessed_by", "assessor_organisation", "submitted_by"
        )
    )


def partner_evidence_list(*, membership: Membership | None) -> QuerySet[Evidence]:
    """Waiting for assessment first, then newest. Claims prefetched: two queries."""
    return (
        partner_evidence_visible_to(membership=membership)
        .prefetch_related("claims__competency")
        .order_by("status", "-occurred_on", "-pk")
    )


def get_partner_evidence_for(*, membership: Membership | None, pk, write: bool = False) -> Evidence:
    """Evidence a partner's registered practitioner sees, or 404; with write=True (a sign-off
    or a return), 403 unless they may assess it (may_partner_assess). Two queries (the
    registration, the evidence); with write=True, three more."""
    evidence = get_scoped_or_404(partner_evidence_visible_to(membership=membership), membership, None, pk=pk)
    if write and not may_partner_assess(membership=membership, evidence=evidence):
        raise PermissionDenied(
            "You can assess this trainee only for the competencies your organisation's "
            "partnership names, as a registered practitioner."
        )
    return evidence


def may_partner_assess(*, membership: Membership | None, evidence: Evidence) -> bool:
    """A registered practitioner of an accepted partner, every claimed competency named on
    the partnership of a programme the trainee is on, and not their own evidence. Two queries."""
    if registration_of(membership) is None:
        return False
    trainee = evidence.trainee
    if trainee.organisation_id == membership.organisation_id or trainee.user_id == membership.user_id:
        return False
    claimed = set(evidence.claims.values_list("competency_id", flat=True))
    named = set(_named_for(membership, trainee.pk).values_list("competency_id", flat=True))
    return bool(claimed) and claimed <= named


# --- Competence ---------------------------------------------------------------------------------------


def _competent(competency: Competency, got, today: date) -> bool:
    """The current version of attainment counts (not expired, not withdrawn), at a proficient
    level of the task's scale, and its reassessment is not overdue."""
    if got is None or got.signed_off_on is None or not got.counts:
        return False
    if not competency.effective_scale().is_proficient(got.level):
        return False
    return _due(competency, got) >= today


def _due(competency: Competency, got) -> date:
    return getattr(got, "valid_until", None) or reassessment_due(competency, got.signed_off_on)


def is_competent(*, trainee_id: int, competency: Competency, today: date | None = None) -> bool:
    """Signed off at a proficient level of the task's scale, reassessment not overdue.
    One query (attainment_for)."""
    today = today or timezone.localdate()
    got = attainment_for([trainee_id], [competency.pk], today=today).get((trainee_id, competency.pk))
    return _competent(competency, got, today)


def lapsed(delegations: list[Delegation], today: date | None = None) -> list[Delegation]:
    """The delegations whose worker is not currently competent for the task. One query."""
    today = today or timezone.localdate()
    got = attainment_for(
        list({d.trainee_id for d in delegations}), list({d.competency_id for d in delegations}),
        today=today,
    )
    return [
        d for d in delegations
        if not _competent(d.competency, got.get((d.trainee_id, d.competency_id)), today)
    ]


# --- Delegation records ---------------------------------------------------------------------------


def delegations_visible_to(*, membership: Membership | None) -> QuerySet[Delegation]:
    if membership is None:
        return Delegation.objects.none()
    org, user, role = membership.organisation_id, membership.user_id, membership.role
    base = Delegation.objects.select_related(
        "trainee", "trainee__organisation", "competency", "delegated_by", "delegator_organisation",
    )
    either_side = Q(trainee__organisation_id=org) | Q(delegator_organisation_id=org)
    if role in (Role.TRAINING_LEAD, Role.PLANNER):
        return base.filter(either_side)
    if role == Role.TRAINEE:
        return base.filter(trainee__user_id=user, trainee__organisation_id=org)
    if role in PRACTITIONER_ROLES:
        mine = Q(delegated_by_id=user, delegator_organisation_id=org)
        managed = Q(trainee__organisation_id=org) & (
            Q(trainee__line_manager_id=user) | Q(trainee__mentor_id=user)
        )
        condition = mine | managed
        if PractitionerRegistration.objects.filter(membership_id=membership.pk).exists():
            condition |= Q(delegator_organisation_id=org)
        return base.filter(condition)
    return Delegation.objects.none()


def delegation_list(*, membership: Membership | None, status: str | None = None) -> QuerySet[Delegation]:
    """Suspended first (someone must act), then waiting, active, ended; newest first. With a
    count of supervision contacts. One query."""
    from django.db.models import Case, Count, IntegerField, Value, When

    delegations = delegations_visible_to(membership=membership)
    if status in Delegation.Status.values:
        delegations = delegations.filter(status=status)
    order = Case(
        When(status=Delegation.Status.SUSPENDED, then=Value(0)),
        When(status=Delegation.Status.AWAITING, then=Value(1)),
        When(status=Delegation.Status.ACTIVE, then=Value(2)),
        default=Value(3), output_field=IntegerField(),
    )
    return delegations.annotate(rank=order, contact_count=Count("contacts")).order_by(
        "rank", "-starts_on", "-pk"
    )


def delegation_in_force(*, trainee_id: int, competency_id: int) -> Delegation | None:
    """The delegation of this task to this worker that is in force (waiting, active or
    suspended: Delegation.IN_FORCE), whoever delegated it; at most one. One query."""
    return (
        Delegation.objects.filter(trainee_id=trainee_id, competency_id=competency_id, status__in=Delegation.IN_FORCE)
        .select_related("trainee", "competency", "delegator_organisation", "trainee__organisation")
        .first()
    )


def get_delegation_for(
    *, membership: Membership | None, pk, write: DelegationChange | None = None
) -> Delegation:
    """The one access path to a delegation record, for its page and every change to it: 404
    unless the membership sees it (delegations_visible_to); with ``write`` naming a change,
    403 with the reason unless they may make it (core.access's rule). The changes:

    - ``"acknowledge"``: the care worker it is delegated to, while it waits;
    - ``"supervise"``: log a supervision contact (a registered practitioner of the delegating
      organisation, while it has not ended);
    - ``"manage"``: end it (the delegating practitioner, or a training lead of either side).

    One query, and one more for ``"supervise"`` (the practitioner's registration)."""
    delegation = get_scoped_or_404(
        delegations_visible_to(membership=membership).select_related(
            "partnership", "acknowledged_by", "trainee__user", "trainee__line_manager"
        ),
        membership, None, pk=pk,
    )
    if write is not None:
        allowed, refusal = _DELEGATION_CHANGES[write]
        if not allowed(membership, delegation):
            raise PermissionDenied(refusal)
    return delegation


def contacts_of(delegation: Delegation):
    return delegation.contacts.select_related("recorded_by", "recorded_by_organisation")


# What each change needs, as booleans: get_delegation_for(write=...) refuses with them, the
# delegation page offers only the forms they allow, and the services check them again on the
# locked row.


def may_acknowledge(membership: Membership | None, delegation: Delegation) -> bool:
    return (
        membership is not None
        and membership.role == Role.TRAINEE
        and delegation.status == Delegation.Status.AWAITING
        and delegation.trainee.user_id == membership.user_id
    )


def may_manage_delegation(membership: Membership | None, delegation: Delegation) -> bool:
    if membership is None:
        return False
    if delegation.delegated_by_id == membership.user_id and membership.role in PRACTITIONER_ROLES:
        return True
    return membership.role == Role.TRAINING_LEAD and membership.organisation_id in (
        delegation.trainee.organisation_id, delegation.delegator_organisation_id
    )


def may_supervise(membership: Membership | None, delegation: Delegation) -> bool:
    """The delegating practitioner, or a registered practitioner of the delegating
    organisation, while the delegation is not ended."""
    if delegation.status == Delegation.Status.ENDED or registration_of(membership) is None:
        return False
    return membership.organisation_id == delegation.delegator_organisation_id


_DELEGATION_CHANGES: dict[str, tuple[Callable[[Membership | None, Delegation], bool], str]] = {
    "acknowledge": (
        may_acknowledge, "Only the care worker it is delegated to can acknowledge it, once.",
    ),
    "supervise": (
        may_supervise, "Only a registered practitioner of the delegating organisation can log supervision.",
    ),
    "manage": (may_manage_delegation, "Only the delegating practitioner or a training lead can end it."),
}


# --- Delegating: what a practitioner may delegate, to whom ------------------------------------------


@dataclass(frozen=True)
class DelegableTask:
    trainee: Trainee
    competency: Competency
    signed_off_on: date
    reassessment_due: date

    @property
    def key(self) -> str:
        return f"{self.trainee.pk}:{self.competency.pk}"


def delegable_for(*, membership: Membership | None, today: date | None = None) -> list[DelegableTask]:
    """(worker, task) pairs the acting registered practitioner may delegate now: the task is
    a delegated healthcare task, the worker is currently competent, and the worker is their own
    organisation's (enrolled on its programme) or a partner lead's trainee for a task the
    partnership names. Four queries."""
    if registration_of(membership) is None:
        return []
    today = today or timezone.localdate()
    org = membership.organisation_id
    named = PartnershipCompetency.objects.filter(
        partnership__in=_assessing_partnerships(membership),
        competency__is_delegated_task=True,
    ).values_list("partnership__programme_id", "competency_id")
    wanted: dict[int, set[int]] = defaultdict(set)  # programme -> competencies
    for programme_id, competency_id in named:
        wanted[programme_id].add(competency_id)
    from competencies.models import RoleProfileItem

    own = RoleProfileItem.objects.filter(
        profile__programme__organisation_id=org, competency__is_delegated_task=True
    ).values_list("profile__programme_id", "competency_id")
    for programme_id, competency_id in own:
        wanted[programme_id].add(competency_id)
    if not wanted:
        return []
    enrolments = list(
        Enrolment.objects.filter(cohort__programme_id__in=wanted, status__in=COUNTED_STATUSES)
        .values_list("trainee_id", "cohort__programme_id")
    )
    pairs = {(t, c) for t, p in enrolments for c in wanted[p]}
    if not pairs:
        return []
    trainees = Trainee.objects.select_related("organisation").in_bulk({t for t, _ in pairs})
    competencies = Competency.objects.select_related("framework__scale", "scale").in_bulk(
        {c for _, c in pairs}
    )
    got = attainment_for(list(trainees), list(competencies), today=today)
    result = []
    for trainee_id, competency_id in pairs:
        competency, attained = competencies[competency_id], got.get((trainee_id, competency_id))
        trainee = trainees[trainee_id]
        if trainee.user_id == membership.user_id:
            continue
        if _competent(competency, attained, today):
            result.append(DelegableTask(
                trainee=trainee, competency=competency, signed_off_on=attained.signed_off_on,
                reassessment_due=_due(competency, attained),
            ))
    result.sort(key=lambda t: (t.trainee.last_name, t.trainee.first_name, t.competency.short_name))
    return result


# --- The manager's view: per worker, what they may currently be delegated ----------------------------


@dataclass
class WorkerTasks:
    trainee: Trainee
    may_be_delegated: list = field(default_factory=list)  # TraineeReadiness rows, by task
    not_now: list = field(default_factory=list)
    delegations: list = field(default_factory=list)  # current and suspended delegations


def workers_for(*, membership: Membership | None, today: date | None = None) -> list[WorkerTasks]:
    """For each care worker the acting manager (their line manager) or training lead / planner
    (their organisation) sees: the delegated tasks they may currently be given (signed off,
    reassessment not overdue), the ones they may not, and their delegations (who delegated,
    from which organisation, status). Five queries, whatever the number of workers (the
    first: the visible cohort ids)."""
    if membership is None:
        return []
    tasks = delegation_readiness(membership=membership, today=today)
    workers: dict[int, WorkerTasks] = {}
    for task in tasks:
        for row in task.trainees:
            worker = workers.setdefault(row.trainee.pk, WorkerTasks(trainee=row.trainee))
            (worker.may_be_delegated if row.may_delegate else worker.not_now).append((task.competency, row))
    if workers:
        delegations = (
            Delegation.objects.filter(trainee_id__in=list(workers))
            .exclude(status=Delegation.Status.ENDED)
            .select_related("competency", "delegated_by", "delegator_organisation")
            .order_by("competency__short_name", "-pk")
        )
        for delegation in delegations:
            workers[delegation.trainee_id].delegations.append(delegation)
    return sorted(workers.values(), key=lambda w: (w.trainee.last_name, w.trainee.first_name, w.trainee.pk))
