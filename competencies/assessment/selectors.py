"""Reads for self-assessment, the assessor's queue and what is expiring, each scoped to the
acting membership and costing a fixed number of queries whatever the numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.db.models import DateField, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.access import get_scoped_or_404
from core.prepared import Param, Read, compiled_once, instance_of, membership_params, params_membership, read
from core.status import StatusTag
from programmes.models import Membership
from trainees.models import Trainee
from trainees.selectors import visible_trainees_q

from ..assessors import can_assess_trainee, trainees_assessed_by
from ..models import AttainmentDecision, Competency, Evidence, Scale, SelfAssessment
from ..validity import Status, expiring_window, status_of


def _level_name(competency: Competency, index: int | None) -> str:
    return _name_of_level(competency.effective_scale().levels if index is not None else [], index)


def _name_of_level(levels: list[dict], index: int | None) -> str:
    if index is None:
        return ""
    return levels[index]["name"] if 0 <= index < len(levels) else f"Level {index + 1}"


# --- Self-assessments ------------------------------------------------------------------------------


def self_assessments_visible_to(*, membership: Membership | None) -> QuerySet[SelfAssessment]:
    """Whoever sees the trainee sees their self-assessments."""
    if membership is None:
        return SelfAssessment.objects.none()
    return SelfAssessment.objects.filter(visible_trainees_q(membership=membership)).select_related(
        "trainee", "competency__framework__scale", "competency__scale", "decided_by"
    )


def get_self_assessment_for(*, membership: Membership | None, pk, write: bool = False) -> SelfAssessment:
    """The self-assessment if visible (404 otherwise); with ``write``, only its trainee's
    assessor may act on it (403): a trainee never confirms their own."""
    record = get_scoped_or_404(self_assessments_visible_to(membership=membership), membership, None, pk=pk)
    if write and not can_assess_trainee(membership, record.trainee):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the trainee's assessor (their mentor) can confirm a self-assessment.")
    return record


def pending_self_assessments(*, membership: Membership | None) -> QuerySet[SelfAssessment]:
    """Self-assessments waiting for this assessor, oldest first (one query)."""
    return (
        SelfAssessment.objects.filter(
            trainee__in=trainees_assessed_by(membership).values("pk"), status=SelfAssessment.Status.PENDING
        )
        .select_related("trainee", "competency__framework__scale", "competency__scale")
        .prefetch_related("evidence")
        .order_by("submitted_at", "pk")
    )


# --- The assessor's queue ----------------------------------------------------------------------


@dataclass
class QueueItem:
    kind: str  # "evidence", "self_assessment", "reassessment"
    trainee: Trainee
    title: str
    detail: str
    since: datetime
    url: str
    self_assessment: SelfAssessment | None = None

    @property
    def kind_label(self) -> str:
        return QUEUE_KIND_TAGS[self.kind].label

    @property
    def status_tag(self) -> StatusTag:
        """What is waiting, as a tag on the queue (core.templatetags.components.status_tag)."""
        return QUEUE_KIND_TAGS[self.kind]


QUEUE_KIND_TAGS = {
    "evidence": StatusTag("Evidence", "blue"),
    "self_assessment": StatusTag("Self-assessment", "purple"),
    "reassessment": StatusTag("Reassessment due", "yellow"),
}


def assessor_queue(*, membership: Membership | None, today: date | None = None) -> list[QueueItem]:
    """Everything waiting for this assessor across the trainees they assess, oldest first:
    evidence waiting for assessment, pending self-assessments, and reassessments due (current
    versions expiring or expired). Four queries, whatever the numbers (evidence,
    self-assessments with their evidence, versions due)."""
    today = today or timezone.localdate()
    trainees = trainees_assessed_by(membership).values("pk")
    items: list[QueueItem] = []
    for evidence in (
        Evidence.objects.filter(trainee__in=trainees, status=Evidence.Status.SUBMITTED)
        .select_related("trainee")
        .order_by("updated_at", "pk")
    ):
        items.append(
            QueueItem(
                "evidence",
                evidence.trainee,
                f"\u201c{evidence.title}\u201d",
                f"{evidence.get_kind_display()}, submitted {timezone.localdate(evidence.updated_at):%-d %b %Y}",
                evidence.updated_at,
                reverse("evidence:detail", kwargs={"pk": evidence.pk}),
            )
        )
    for record in pending_self_assessments(membership=membership).filter(trainee__in=trainees):
        items.append(
            QueueItem(
                "self_assessment",
                record.trainee,
                str(record.competency),
                f"Rated {_level_name(record.competency, record.level)}",
                record.submitted_at,
                reverse("assessment:self_assessment", kwargs={"pk": record.pk}),
                self_assessment=record,
            )
        )
    window = expiring_window()
    for decision in _current_due(trainees, today + window):
        status = status_of(decision.kind, decision.valid_until, today, window)
        items.append(
            QueueItem(
                "reassessment",
                decision.trainee,
                str(decision.competency),
                f"{Status.LABELS[status]}: valid until {decision.valid_until:%-d %b %Y}",
                timezone.make_aware(datetime.combine(decision.valid_until, datetime.min.time())) - window,
                reverse(
                    "assessment:reassess",
                    kwargs={"trainee_pk": decision.trainee_id, "competency_pk": decision.competency_id},
                ),
            )
        )
    items.sort(key=lambda item: (item.since, item.kind, item.trainee.pk))
    return items


# The subqueries are built once, on first use, and shared (as trainees.selectors' figures):
# filter() and annotate() resolve a copy of an expression, never the expression itself.


@cache
def _newest_decision() -> Subquery:
    """The pk of the newest decision (not a self-rating) on the outer row's trainee and competency."""
    return Subquery(
        AttainmentDecision.objects.filter(trainee_id=OuterRef("trainee_id"), competency_id=OuterRef("competency_id"))
        .exclude(kind=AttainmentDecision.Kind.SELF_RATED)
        .order_by("-decided_at", "-pk")
        .values("pk")[:1]
    )


@cache
def _scale_levels() -> Subquery:
    """The levels of the outer decision's competency's scale (its own, or its framework's)."""
    return Subquery(
        Scale.objects.filter(
            pk=Coalesce(OuterRef("competency__scale_id"), OuterRef("competency__framework__scale_id"))
        ).values("levels")[:1],
        output_field=JSONField(),
    )


def _current_due(trainees: QuerySet | Q, until: date) -> QuerySet[AttainmentDecision]:
    """``trainees``: theirs (a queryset of them, or a filter on the decisions)."""
    visible = trainees if isinstance(trainees, Q) else Q(trainee__in=trainees)
    return (
        AttainmentDecision.objects.filter(visible, valid_until__lte=until, pk=_newest_decision())
        .exclude(kind=AttainmentDecision.Kind.WITHDRAWN)
        .select_related("trainee", "competency__framework__scale", "competency__scale")
        .order_by("valid_until", "pk")
    )


def queue_neighbours(items: list[QueueItem], url: str) -> tuple[QueueItem | None, QueueItem | None]:
    """The items before and after the one at ``url`` (next and previous in the queue)."""
    for index, item in enumerate(items):
        if item.url == url:
            return (items[index - 1] if index else None, items[index + 1] if index + 1 < len(items) else None)
    return None, None


# --- What is expiring ---------------------------------------------------------------------------------


@dataclass
class Expiring:
    decision: AttainmentDecision
    status: str
    level_name: str

    @property
    def label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def colour(self) -> str:
        return Status.TAG_COLOURS[self.status]

    @property
    def status_tag(self) -> StatusTag:
        return StatusTag(self.label, self.colour)


def expiring_for(*, membership: Membership | None, today: date | None = None, limit: int = 20) -> list[Expiring]:
    """Competence of the trainees this person sees (a trainee: their own; a mentor: their
    mentees; a manager: the trainees they manage) that is expiring or has expired, soonest
    first. One query, compiled once (core.prepared): the home pages of trainees, mentors and
    managers show it."""
    if membership is None:
        return []
    return read(expiring_read(membership=membership, today=today, limit=limit))


def expiring_read(*, membership: Membership, today: date | None = None, limit: int = 20) -> Read:
    """expiring_for's statement, values and rows made its result, for a page that reads it
    with others (core.prepared.read_together)."""
    today = today or timezone.localdate()
    window = expiring_window()

    def expiring(rows: list[dict]) -> list[Expiring]:
        return [
            Expiring(_decision_of(row), status_of(row["kind"], row["valid_until"], today, window),
                     _name_of_level(row["scale_levels"] or [], row["level"]))
            for row in rows
        ]

    return Read(_expiring(membership.role, limit), {**membership_params(membership), "until": today + window}, expiring)


EXPIRING_FIELDS = {  # what the rows show: {model: {its field: the row's name}}
    AttainmentDecision: {"id": "pk", "kind": "kind", "level": "level", "valid_until": "valid_until",
                         "trainee_id": "trainee_id", "competency_id": "competency_id"},
    Trainee: {"id": "trainee_id", "first_name": "trainee__first_name", "last_name": "trainee__last_name"},
    Competency: {"id": "competency_id", "id_number": "competency__id_number", "short_name": "competency__short_name"},
}


@compiled_once
def _expiring(role: str, limit: int) -> QuerySet:
    """expiring_for's statement: Params user_id, organisation_id and until (the last day of
    the expiring window). Only what the rows show, and the scale's levels as a subquery rather
    than two more joins: PostgreSQL took longer to plan the six-table join than to run it (1.3
    ms against 0.1)."""
    # The trainee's own columns (visible_trainees_q: a join) rather than IN (their ids): the
    # trainees the person manages or mentors are then read from their index, where IN had
    # PostgreSQL read every trainee to join them.
    visible = visible_trainees_q(membership=params_membership(role), read_now=False)
    names = {name for fields in EXPIRING_FIELDS.values() for name in fields.values()}
    return (
        _current_due(visible, Param("until", DateField())).select_related(None)
        .annotate(scale_levels=_scale_levels()).values(*sorted(names), "scale_levels")[:limit]
    )


def _decision_of(row: dict) -> AttainmentDecision:
    """The decision of a row of _expiring, with its trainee and competency, as select_related
    and only() loaded them (no other field: reading one would cost a query)."""
    decision, trainee, competency = (instance_of(model, row, fields) for model, fields in EXPIRING_FIELDS.items())
    decision.trainee, decision.competency = trainee, competency
    return decision
