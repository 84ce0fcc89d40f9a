"""Reads for trainees and enrolments, scoped to what the acting person may see.

Who sees which trainees (within organisations that can see the programme):
- training lead, workforce planner: every trainee of their organisation;
- line manager: the trainees they manage; mentor: their mentees;
- lecturer: trainees enrolled on the cohorts they teach (they may be from a partner);
- trainee: themself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.core.validators import EMPTY_VALUES
from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    DecimalField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Least, Round
from django.db.models.lookups import IsNull

from core.access import get_scoped_or_404
from core.pagination import NO_ROWS, TOTAL, PagedRows, page_fetched, with_total
from core.prepared import (
    InIdsOf,
    Paged,
    Param,
    Statement,
    compiled_once,
    instance_of,
    instances_of,
    list_size,
    list_values,
    membership_params,
    paged,
    param_list,
    params_membership,
    statement,
)
from programmes.models import ClinicalArea, Membership, Role
from programmes.selectors import ParamsCohort, cohort_seen_by, cohorts_visible_to

from .filters import CohortEnrolmentFilter
from .models import (
    REVIEW_INTERVAL,
    ContractSignature,
    Enrolment,
    LearningContract,
    ProgressReview,
    StudySession,
    Trainee,
)

ORGANISATION_WIDE = (Role.TRAINING_LEAD, Role.PLANNER)


def trainees_visible_to(*, membership: Membership | None) -> QuerySet[Trainee]:
    if membership is None:
        return Trainee.objects.none()
    # The person's id rather than their User: the same SQL, and a core.prepared Param works too.
    user_id, role = membership.user_id, membership.role
    if role == Role.LECTURER:
        taught = cohorts_visible_to(membership=membership).values("pk")
        return Trainee.objects.filter(
            pk__in=Enrolment.objects.filter(cohort__in=taught).values("trainee_id")
        )
    own = Trainee.objects.filter(organisation_id=membership.organisation_id)
    if role in ORGANISATION_WIDE:
        return own
    if role == Role.MANAGER:
        return own.filter(line_manager_id=user_id)
    if role == Role.MENTOR:
        return own.filter(mentor_id=user_id)
    if role == Role.TRAINEE:
        return own.filter(user_id=user_id)
    return Trainee.objects.none()


def visible_trainees_q(*, membership: Membership | None, path: str = "trainee", read_now: bool = True) -> Q:
    """The rule of trainees_visible_to as a filter on a related model's own columns (``path``
    leads to the Trainee): the trainee's organisation and manager, mentor or login columns, so
    evidence, self-assessments and credentials filter with a join rather than
    ``IN (subquery)``. For a lecturer, one query now (the ids of the cohorts they teach); with
    ``read_now=False`` (a statement compiled once, whose membership is Params) a subquery for
    them instead. Matches nothing for no membership."""
    nothing = Q(pk__in=[])
    if membership is None:
        return nothing
    user_id, role = membership.user_id, membership.role
    if role == Role.LECTURER:
        if read_now:
            cohorts = visible_cohort_ids(membership=membership)
            if not cohorts:
                return nothing
        else:
            cohorts = cohorts_visible_to(membership=membership).values("pk")
        taught = Enrolment.objects.filter(cohort_id__in=cohorts).values("trainee_id")
        return Q(**{f"{path}_id__in": taught})
    own = Q(**{f"{path}__organisation_id": membership.organisation_id})
    if role in ORGANISATION_WIDE:
        return own
    column = {Role.MANAGER: "line_manager_id", Role.MENTOR: "mentor_id", Role.TRAINEE: "user_id"}.get(role)
    if column is None:
        return nothing
    return own & Q(**{f"{path}__{column}": user_id})


def can_change_trainee(membership: Membership | None, trainee: Trainee) -> bool:
    return (
        membership is not None
        and membership.role == Role.TRAINING_LEAD
        and membership.organisation_id == trainee.organisation_id
    )


def get_trainee_for(*, membership: Membership | None, pk, write: bool = False) -> Trainee:
    trainee = get_scoped_or_404(
        trainees_visible_to(membership=membership).select_related(
            "clinical_area", "line_manager", "mentor", "user"
        ),
        membership, None, pk=pk,
    )
    if write and not can_change_trainee(membership, trainee):
        raise PermissionDenied("Only a training lead of the trainee's organisation can change this record.")
    return trainee


def visible_cohort_ids(*, membership: Membership | None) -> list[int]:
    """The ids of the cohorts the person sees, as a list: one small query. Filtering on a list
    keeps the plan of the big queries that use it independent of the size of the database."""
    if membership is None:
        return []
    return [row["pk"] for row in _visible_cohort_ids(membership.role).rows(**membership_params(membership))]


@compiled_once
def _visible_cohort_ids(role: str) -> QuerySet:
    """cohorts_visible_to's ids, compiled once (core.prepared): every list of enrolments and
    every home page but the lead's and planner's asks for them."""
    return cohorts_visible_to(membership=params_membership(role)).order_by().values("pk")


def enrolments_visible_to(*, membership: Membership | None, cohort_ids: list[int] | None = None) -> QuerySet[Enrolment]:
    """Enrolments of visible trainees on visible cohorts, with what their pages show loaded.

    Costs one query when built (the visible cohort ids, evaluated once as a list), then filters
    on the enrolment's cohort column and the trainee's own organisation, manager, mentor or
    login columns: never ``IN (subquery)`` over joins, which PostgreSQL plans by joining every
    open enrolment in the country before narrowing to the person's (issue #15). A caller that
    has read every cohort of cohorts_visible_to already (a lecturer's home page) hands over
    their ids as ``cohort_ids``, and no query is run to build it."""
    if membership is None:
        return Enrolment.objects.none()
    if cohort_ids is None:
        cohort_ids = visible_cohort_ids(membership=membership)
    if not cohort_ids:
        return Enrolment.objects.none()
    # cohort__id: the same column as cohort_id, compared with plain values or core.prepared
    # Params alike (a foreign key's own __in turns each value into an int first).
    return _with_visible_trainees(Enrolment.objects.filter(cohort__id__in=cohort_ids), membership)


def enrolments_visible_in_statement(*, membership) -> QuerySet[Enrolment]:
    """enrolments_visible_to for a statement compiled once (core.prepared; ``membership`` a
    ParamsMembership) that reads the visible cohorts' ids itself (core.prepared.InIdsOf) rather
    than after a query of its own for them: a home page's one statement on enrolments saves
    that round trip. The same narrowing, and the same plan as on a list of ids."""
    visible = InIdsOf("cohort__id", cohorts_visible_to(membership=membership).order_by().values("pk"))
    return _with_visible_trainees(Enrolment.objects.filter(visible), membership)


def enrolments_on_cohort(*, membership: Membership | None, cohort) -> QuerySet[Enrolment]:
    """enrolments_visible_to(...).filter(cohort=cohort), for a cohort that get_cohort_for has
    already shown the person may see: then no query to build, and the statements filter on the
    one cohort id rather than on it and the list of every visible one (whose planning the
    cohort page and the matrix paid for in each statement). Any other cohort (one loaded some
    other way) is checked against the visible cohort ids as enrolments_visible_to does."""
    if membership is None:
        return Enrolment.objects.none()
    if not cohort_seen_by(cohort, membership):
        return enrolments_visible_to(membership=membership).filter(cohort=cohort)
    return _with_visible_trainees(Enrolment.objects.filter(cohort_id=cohort.pk), membership)


def _with_visible_trainees(enrolments: QuerySet[Enrolment], membership: Membership) -> QuerySet[Enrolment]:
    """``enrolments`` (already narrowed to visible cohorts) narrowed to the trainees the person
    sees, with what their pages show loaded."""
    user_id, role = membership.user_id, membership.role
    # A lecturer sees everyone on the cohorts they teach (they may be from a partner): the
    # cohort ids already say so. Everyone else sees trainees of their own organisation.
    if role != Role.LECTURER:
        own = Q(trainee__organisation_id=membership.organisation_id)
        if role == Role.MANAGER:
            own &= Q(trainee__line_manager_id=user_id)
        elif role == Role.MENTOR:
            own &= Q(trainee__mentor_id=user_id)
        elif role == Role.TRAINEE:
            own &= Q(trainee__user_id=user_id)
        elif role not in ORGANISATION_WIDE:
            return Enrolment.objects.none()
        enrolments = enrolments.filter(own)
    return enrolments.select_related(
        "trainee", "trainee__clinical_area", "trainee__line_manager", "trainee__mentor",
        "cohort", "cohort__programme",
    )


# The order of a list of enrolments by trainee (the API's).
ENROLMENT_LIST_ORDER = ("trainee__last_name", "trainee__first_name", "pk")
# What a row of enrolment_list holds besides the figures: the enrolment's own columns (a
# relation as its id, under its attname).
_ENROLMENT_OWN_COLUMNS = tuple(field.attname for field in Enrolment._meta.concrete_fields)
ENROLMENT_LIST_FIGURES = ("hours_taken", "hours_lost", "signature_count")


def enrolment_list(*, membership: Membership | None) -> PagedRows:
    """enrolments_visible_to in ENROLMENT_LIST_ORDER, each row the enrolment's own columns with
    its hours taken and lost and its signatures (with_study_hours, with_signature_count), read a
    page at a time by core.pagination.CountedPaginator: the API's list of enrolments, compiled
    once (core.prepared; it built and compiled the ORM's statement on every request). The
    visible cohort ids first (one query), as enrolments_visible_to does; none: no statement."""
    cohort_ids = visible_cohort_ids(membership=membership)
    if not cohort_ids:
        return NO_ROWS
    size = list_size(cohort_ids)
    statement = _enrolment_list(membership.role, size)
    values = {**membership_params(membership), **list_values("cohort", cohort_ids, size)}
    return PagedRows(lambda offset, limit: statement.rows(**values, offset=offset, limit=limit))


@compiled_once
def _enrolment_list(role: str, size: int) -> Paged:
    """enrolment_list's statement: Params user_id, organisation_id, cohort0..cohort<size-1>,
    limit and offset."""
    enrolments = enrolments_visible_to(
        membership=params_membership(role), cohort_ids=param_list("cohort", size)
    ).select_related(None)
    return paged(
        with_total(with_signature_count(with_study_hours(enrolments)).order_by(*ENROLMENT_LIST_ORDER))
        .values(*_ENROLMENT_OWN_COLUMNS, *ENROLMENT_LIST_FIGURES, TOTAL)
    )


def get_enrolment_for(*, membership: Membership | None, pk, write: bool = False) -> Enrolment:
    """The enrolment, with its trainee, cohort and learning contract, if the person may see it
    (404 otherwise); with write=True, 403 unless they may manage it (a training lead of the
    trainee's organisation). One query."""
    enrolment = get_scoped_or_404(
        enrolments_visible_to(membership=membership).select_related("contract"),
        membership, None, pk=pk,
    )
    if write and not can_manage_enrolment(membership, enrolment):
        raise PermissionDenied("Only a training lead of the trainee's organisation can change this enrolment.")
    return enrolment


# --- What each person may do to an enrolment -------------------------------------------------


def can_manage_enrolment(membership: Membership | None, enrolment: Enrolment) -> bool:
    """Status changes, outcomes, the contract's text: the training leads of the organisation."""
    return can_change_trainee(membership, enrolment.trainee)


def can_record_study_time(membership: Membership | None, enrolment: Enrolment) -> bool:
    if membership is None or not enrolment.is_open:
        return False
    trainee = enrolment.trainee
    return (
        can_change_trainee(membership, trainee)
        or (membership.role == Role.MANAGER and trainee.line_manager_id == membership.user_id)
        or (membership.role == Role.TRAINEE and trainee.user_id == membership.user_id)
    )


def can_record_review(membership: Membership | None, enrolment: Enrolment) -> bool:
    if membership is None or not enrolment.is_open:
        return False
    trainee = enrolment.trainee
    return (
        can_change_trainee(membership, trainee)
        or (membership.role == Role.MANAGER and trainee.line_manager_id == membership.user_id)
        or (membership.role == Role.LECTURER
            and enrolment.cohort.lecturers.filter(pk=membership.user_id).exists())
    )


def contract_parties_for(membership: Membership | None, enrolment: Enrolment) -> set[str]:
    """The parties of the learning contract this person may sign as (usually one, or none)."""
    if membership is None:
        return set()
    Party = LearningContract.Party
    trainee, user_id = enrolment.trainee, membership.user_id
    parties = set()
    if membership.role == Role.TRAINEE and trainee.user_id == user_id:
        parties.add(Party.TRAINEE)
    if membership.role == Role.MENTOR and trainee.mentor_id == user_id:
        parties.add(Party.MENTOR)
    if membership.role == Role.MANAGER and trainee.line_manager_id == user_id:
        parties.add(Party.MANAGER)
    if membership.role == Role.LECTURER and enrolment.cohort.lecturers.filter(pk=user_id).exists():
        parties.add(Party.LECTURER)
    return parties


# --- Study time and reviews ------------------------------------------------------------------

STUDY_TIME_WARNING = Decimal("0.8")  # below 80% of plan, a trainee is flagged


@dataclass(frozen=True)
class StudyTime:
    planned: Decimal
    taken: Decimal
    lost: Decimal | None  # None where it was not read (the due lists show taken of planned)

    @property
    def ratio(self) -> Decimal | None:
        return None if not self.planned else (self.taken / self.planned)

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else int((self.ratio * 100).to_integral_value())

    @property
    def below_plan(self) -> bool:
        return self.ratio is not None and self.ratio < STUDY_TIME_WARNING


def planned_hours_to_date(enrolment: Enrolment, today: date) -> Decimal:
    """Weekly plan x whole weeks from the later of cohort start and enrolment, to today (or the
    end of the enrolment or cohort, whichever is first). Costs no query."""
    start = max(enrolment.cohort.starts_on, enrolment.enrolled_on)
    end = min(today, enrolment.ended_on or enrolment.cohort.ends_on, enrolment.cohort.ends_on)
    if end <= start:
        return Decimal(0)
    # As with_planned_hours works it out in SQL, so that a count and its list agree: days x
    # hours a week / 7 in that order (exact wherever the result is), rounded as the database
    # rounds.
    hours = Decimal((end - start).days) * enrolment.planned_hours_per_week / 7
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The figures' subqueries are built once, on first use, and shared: annotate() resolves a copy
# of an expression (its query cloned), never the expression itself, and building them afresh
# cost each list a third of a millisecond.


@cache
def _hours(outcome: str):
    """The enrolment's (OuterRef "pk") study hours with this outcome, 0 when none."""
    total = (
        StudySession.objects.filter(enrolment=OuterRef("pk"), outcome=outcome)
        .order_by().values("enrolment").annotate(total=Sum("hours")).values("total")
    )
    return Coalesce(Subquery(total, output_field=DecimalField()), Value(Decimal(0)), output_field=DecimalField())


def with_progress_figures(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates hours taken and lost, the last review date and the number of contract
    signatures, so a list of any length costs one query.

    Each figure is its own correlated subquery: joining sessions, reviews and signatures in
    one GROUP BY would multiply the hours by the number of reviews and signatures."""
    return with_signature_count(with_last_review(with_study_hours(enrolments)))


def with_signature_count(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``signature_count``, the signatures on the learning contract (as
    with_progress_figures): no extra query."""
    return enrolments.annotate(signature_count=_signature_count())


def with_study_hours(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``hours_taken`` and ``hours_lost`` (as with_progress_figures)."""
    return with_hours_taken(enrolments).annotate(hours_lost=_hours(StudySession.Outcome.LOST))


def with_hours_taken(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``hours_taken`` alone, for a list that does not show the hours lost."""
    return enrolments.annotate(hours_taken=_hours(StudySession.Outcome.TAKEN))


@cache
def _signature_count():
    signatures = (
        ContractSignature.objects.filter(contract__enrolment=OuterRef("pk"))
        .order_by().values("contract").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(signatures, output_field=IntegerField()), Value(0))


def with_last_review(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``last_review_on``, the date of the latest progress review (None before the
    first): no extra query."""
    return enrolments.annotate(last_review_on=_last_review_on())


@cache
def _last_review_on():
    last_review = (
        ProgressReview.objects.filter(enrolment=OuterRef("pk"))
        .order_by("-held_on").values("held_on")[:1]
    )
    return Subquery(last_review, output_field=DateField())


class _DaysBetween(Func):
    """Whole days from the first date to the second, in SQL (PostgreSQL: date - date is an
    integer; SQLite, the embedded default: a difference of julian days)."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self, start, end):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            # A real number of whole days (dates are at midnight), so that the hours worked
            # out from it keep their fraction: SQLite stores 7.0 hours as the integer 7.
            compiler, connection, template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(", **extra,
        )


def with_planned_hours(enrolments: QuerySet[Enrolment], today: date | Expression) -> QuerySet[Enrolment]:
    """Annotates ``planned_hours``: planned_hours_to_date worked out by the database, so a
    count or a filter on it needs no Python loop over the enrolments. ``today`` may be a
    core.prepared.Param (a DateField's)."""
    start = Greatest(F("cohort__starts_on"), F("enrolled_on"))
    today = today if hasattr(today, "resolve_expression") else Value(today)
    end = Least(today, Coalesce(F("ended_on"), F("cohort__ends_on")), F("cohort__ends_on"))
    per_week = Coalesce(F("study_hours_per_week"), F("cohort__study_hours_per_week"))
    days = Greatest(_DaysBetween(start, end), Value(0))
    return enrolments.annotate(planned_hours=Round(
        ExpressionWrapper(days * per_week / Value(Decimal(7)), output_field=DecimalField()),
        precision=1, output_field=DecimalField(),
    ))


def study_time_by_cohort(enrolments: QuerySet[Enrolment], today: date) -> dict[int, StudyTime]:
    """{cohort id: its enrolments' study time added up}: hours planned to date (each
    enrolment's as with_planned_hours works it out), taken and lost, for each cohort with an
    enrolment in ``enrolments``. One query, the database adding up by cohort, whatever the
    numbers of cohorts and trainees."""
    rows = (
        with_planned_hours(enrolments, today)
        .annotate(hours_taken=_hours(StudySession.Outcome.TAKEN), hours_lost=_hours(StudySession.Outcome.LOST))
        .order_by().values("cohort_id")
        .annotate(planned=Sum("planned_hours"), taken=Sum("hours_taken"), lost=Sum("hours_lost"))
        .values_list("cohort_id", "planned", "taken", "lost")
    )
    return {cohort_id: StudyTime(planned, taken, lost) for cohort_id, planned, taken, lost in rows}


def below_plan_q() -> Q:
    """Progress.below_plan as a filter, on enrolments annotated by with_progress_figures and
    with_planned_hours: active, and less than STUDY_TIME_WARNING of the planned hours taken."""
    return Q(
        status=Enrolment.Status.ACTIVE, planned_hours__gt=0,
        hours_taken__lt=ExpressionWrapper(
            F("planned_hours") * Value(STUDY_TIME_WARNING), output_field=DecimalField()
        ),
    )


def below_plan_sql(alias: str) -> str:
    """below_plan_q written in SQL, on the columns "status", "planned_hours" and "hours_taken"
    of the rows ``alias`` (read by with_planned_hours and with_kept_figures): for a statement
    that decides on figures read once. As a column of the ORM's, below_plan_q writes the planned
    hours' expression again in each place it is compared, so they are worked out twice more a row."""
    return (
        f"""{alias}."status" = '{Enrolment.Status.ACTIVE.value}' AND {alias}."planned_hours" > 0"""
        f""" AND {alias}."hours_taken" < {alias}."planned_hours" * {STUDY_TIME_WARNING}"""
    )


class BelowPlan(NamedTuple):
    """An enrolment of below_plan_first's list, with its study time."""

    enrolment: Enrolment
    study: StudyTime

    @property
    def below_plan(self) -> bool:
        """As Progress.below_plan (which the database's filter is)."""
        return self.enrolment.status == Enrolment.Status.ACTIVE and self.study.below_plan


def below_plan_first(enrolments: QuerySet[Enrolment], today: date, first: int) -> tuple[list[BelowPlan], int]:
    """(the first ``first`` of ``enrolments`` below plan, by name, each with its study time; how
    many are below plan). One statement, each row carrying the count of them all. The figures
    are the database's (with_planned_hours), as the count's: only the study time is worked
    out, not the other figures of with_progress_figures (which ``enrolments`` should not
    have), which cost the statement more to build and plan than to run."""
    rows = list(_below_plan(enrolments, today, first))
    return _below_plan_of(rows)


def _below_plan(enrolments: QuerySet[Enrolment], today: date | Expression, first: int) -> QuerySet[Enrolment]:
    return (
        # The hours taken decide which rows are below plan, so they are read for every active
        # enrolment: kept (one join), not summed (a subquery a row, most of the statement).
        with_kept_hours_taken(with_planned_hours(enrolments, today))
        .filter(below_plan_q())
        .annotate(below_plan_count=Window(Count("*")))
        .order_by(*BELOW_PLAN_ORDER)[:first]
    )


BELOW_PLAN_ORDER = ("trainee__last_name", "trainee__first_name", "pk")


def _below_plan_of(rows: list[Enrolment]) -> tuple[list[BelowPlan], int]:
    # The names below plan show the hours taken of those planned, never the hours lost.
    below = [BelowPlan(e, StudyTime(planned=e.planned_hours, taken=e.hours_taken, lost=None)) for e in rows]
    return below, (rows[0].below_plan_count if rows else 0)


def below_plan_on_cohort(
    *, membership: Membership | None, cohort, today: date, first: int
) -> tuple[list[BelowPlan], int]:
    """below_plan_first of the cohort's enrolments the person sees (enrolments_on_cohort), with
    their trainees and wards: for a cohort from get_cohort_for, one statement compiled once
    (core.prepared), the cohort page's dearest to build."""
    if membership is None or not cohort_seen_by(cohort, membership):
        return below_plan_first(
            enrolments_on_cohort(membership=membership, cohort=cohort).select_related(None)
            .select_related("trainee__clinical_area"), today, first,
        )
    rows = _below_plan_rows(membership.role, first).rows(
        **membership_params(membership), cohort_id=cohort.pk, today=today
    )
    return _below_plan_of(_enrolments_of(rows, _BELOW_PLAN_FIGURES))


# What the cohort page's rows and below-plan names show and work out from (Progress, the
# progress tags), as select_related("trainee__clinical_area").only(...) would load them:
# {model: {field: its name in the row}}. Only these: building 45 enrolments, trainees and wards
# with every field cost the page more than its rows' statement. Any other field read costs a
# query (instance_of defers it), which the page's query count would show.
_ENROLMENT_LOADED = {
    model: {name: prefix + name for name in names}
    for model, prefix, names in (
        (Enrolment, "", ("id", "trainee_id", "cohort_id", "status", "study_hours_per_week", "enrolled_on", "ended_on")),
        (Trainee, "trainee__", ("id", "first_name", "last_name", "clinical_area_id")),
        (ClinicalArea, "trainee__clinical_area__", ("id", "name")),
    )
}
_ENROLMENT_COLUMNS = tuple(name for fields in _ENROLMENT_LOADED.values() for name in fields.values())
_TRAINEE_OF, _WARD_OF, _COHORT_OF = Enrolment.trainee.field, Trainee.clinical_area.field, Enrolment.cohort.field


def _enrolments_of(rows: list[dict], figures: Iterable[str]) -> list[Enrolment]:
    """Enrolments with their trainees and wards, from rows of _ENROLMENT_COLUMNS and
    ``figures`` (their annotations)."""
    enrolment_of, trainee_of, ward_of = (instances_of(model, fields) for model, fields in _ENROLMENT_LOADED.items())
    enrolments = []
    for row in rows:
        enrolment, trainee = enrolment_of(row), trainee_of(row)
        # Cached as select_related caches them (the ids are the row's already): assigning
        # through the descriptors checks each with the database routers.
        _WARD_OF.set_cached_value(trainee, ward_of(row) if row["trainee__clinical_area__id"] is not None else None)
        _TRAINEE_OF.set_cached_value(enrolment, trainee)
        for name in figures:
            setattr(enrolment, name, row[name])
        enrolments.append(enrolment)
    return enrolments


_BELOW_PLAN_FIGURES = ("planned_hours", "hours_taken", "below_plan_count")


@compiled_once
def _below_plan_rows(role: str, first: int) -> QuerySet:
    """below_plan_on_cohort's statement: Params user_id, organisation_id, cohort_id, today."""
    membership = params_membership(role)
    on_cohort = enrolments_on_cohort(membership=membership, cohort=ParamsCohort(membership)).select_related(None)
    return _below_plan(on_cohort, Param("today", DateField()), first).values(*_ENROLMENT_COLUMNS, *_BELOW_PLAN_FIGURES)


def study_time_of(enrolment: Enrolment, today: date) -> StudyTime:
    """From an enrolment annotated by with_progress_figures (or queried when it is not)."""
    taken = getattr(enrolment, "hours_taken", None)
    lost = getattr(enrolment, "hours_lost", None)
    if taken is None or lost is None:
        totals = dict(
            enrolment.study_sessions.values_list("outcome").annotate(total=Sum("hours"))
        )
        taken = totals.get(StudySession.Outcome.TAKEN, Decimal(0))
        lost = totals.get(StudySession.Outcome.LOST, Decimal(0))
    return StudyTime(planned=planned_hours_to_date(enrolment, today), taken=taken, lost=lost)


def review_due_on(enrolment: Enrolment) -> date | None:
    """The next review is due 12 weeks after the last (or after starting); None once it ends."""
    if not enrolment.is_open:
        return None
    last = getattr(enrolment, "last_review_on", None)
    if last is None and not hasattr(enrolment, "last_review_on"):
        last = enrolment.reviews.aggregate(last=Max("held_on"))["last"]
    start = max(enrolment.cohort.starts_on, enrolment.enrolled_on)
    return (last or start) + REVIEW_INTERVAL


def study_time_lost_by_area(*, membership: Membership | None, since: date | None = None):
    """Hours lost per ward and reason, for the ward view. One query."""
    sessions = StudySession.objects.filter(
        enrolment__in=enrolments_visible_to(membership=membership).values("pk"),
        outcome=StudySession.Outcome.LOST,
    )
    if since:
        sessions = sessions.filter(date__gte=since)
    return (
        sessions.values("enrolment__trainee__clinical_area__name", "lost_reason")
        .annotate(hours=Sum("hours"), sessions=Count("pk"),
                  covered=Count("pk", filter=Q(cover_arranged=True)))
        .order_by("enrolment__trainee__clinical_area__name", "-hours")
    )


# --- The trainee-record screens: progress rows, signatures by party ----------------------------

OPEN_STATUSES = (Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)
PARTY_COUNT = len(LearningContract.Party.values)

# For these roles, the enrolments a person sees are exactly those where they are that party of
# the contract (a manager sees the trainees they manage, ...), so lists need no per-row check.
PARTY_OF_ROLE = {
    Role.TRAINEE: LearningContract.Party.TRAINEE,
    Role.MENTOR: LearningContract.Party.MENTOR,
    Role.MANAGER: LearningContract.Party.MANAGER,
    Role.LECTURER: LearningContract.Party.LECTURER,
}


@dataclass(frozen=True)
class Progress:
    """An enrolment with its study time, next review and signatures, for lists and dashboards.

    Only an active enrolment is flagged: someone who has applied has not started, and a pause
    stops the clock for reviews (its study-time figures are still shown)."""

    enrolment: Enrolment
    study: StudyTime
    review_due: date | None  # None unless the enrolment is active
    today: date

    @property
    def started(self) -> bool:
        return self.enrolment.status != Enrolment.Status.APPLIED

    @property
    def below_plan(self) -> bool:
        return self.enrolment.status == Enrolment.Status.ACTIVE and self.study.below_plan

    @property
    def review_overdue(self) -> bool:
        return self.review_due is not None and self.review_due < self.today

    @property
    def signature_count(self) -> int:
        return getattr(self.enrolment, "signature_count", 0)


def next_review_due(enrolment: Enrolment) -> date | None:
    """review_due_on, for active enrolments only (see Progress)."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        return None
    return review_due_on(enrolment)


def progress_of(enrolment: Enrolment, today: date) -> Progress:
    """From an enrolment annotated by with_progress_figures: costs no query."""
    return Progress(
        enrolment=enrolment, study=study_time_of(enrolment, today),
        review_due=next_review_due(enrolment), today=today,
    )


def with_signed_parties(
    enrolments: QuerySet[Enrolment], parties: Iterable[str] = LearningContract.Party.values
) -> QuerySet[Enrolment]:
    """Annotates ``signed_<party>`` (True/False) for each of the parties (all four unless
    named; name only those used: each is a subquery per enrolment): no extra query.

    "The first signature's id IS NOT NULL" rather than EXISTS: PostgreSQL may run an EXISTS as
    a hashed subplan over every signature in the database (46 ms with 52,000 trainees, for a
    lecturer's 336 enrolments); a subquery with LIMIT is always a probe of this contract's own
    signatures."""
    return enrolments.annotate(**{
        f"signed_{party}": IsNull(Subquery(
            ContractSignature.objects.filter(contract__enrolment=OuterRef("pk"), party=party).values("pk")[:1]
        ), False)
        for party in parties
    })


class _JoinedText(Aggregate):
    """The values joined by commas, in no given order: STRING_AGG on PostgreSQL, GROUP_CONCAT on
    SQLite (the embedded default)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def with_signers(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``signers``: the parties who have signed the learning contract, as one text
    (read it with signers_of): no extra query. One subquery a row where with_signature_count
    and with_signed_parties take one each, for a list that needs both (the due lists: issue
    #15)."""
    signers = (
        ContractSignature.objects.filter(contract__enrolment=OuterRef("pk"))
        .order_by().values("contract").annotate(parties=_JoinedText("party")).values("parties")
    )
    return enrolments.annotate(signers=Subquery(signers, output_field=CharField()))


def with_kept_figures(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``last_review_on``, ``hours_taken`` and ``signers`` as with_last_review,
    with_hours_taken and with_signers do, read from the figures the database keeps
    (models.EnrolmentFigures: one join) rather than worked out (a subquery each, a row): for
    the due lists, which read them for every open enrolment a person has (issue #15)."""
    return with_kept_hours_taken(enrolments).annotate(
        last_review_on=F("kept_figures__last_review_on"), signers=F("kept_figures__signers"),
    )


def with_kept_hours_taken(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``hours_taken`` as with_hours_taken does (0 when none), read from the figures
    the database keeps (models.EnrolmentFigures: one join, not a subquery a row)."""
    return enrolments.annotate(
        hours_taken=Coalesce(F("kept_figures__hours_taken"), Value(Decimal(0)), output_field=DecimalField()),
    )


def signers_of(signers: str | None) -> frozenset[str]:
    """The parties in with_signers' ``signers`` (None when nobody has signed)."""
    return frozenset(signers.split(",")) if signers else frozenset()


def party_of(membership: Membership | None) -> str | None:
    """The contract party this person signs as on the enrolments they see (None for leads and
    planners, who do not sign)."""
    return PARTY_OF_ROLE.get(membership.role) if membership else None


def cohort_enrolments(*, membership: Membership | None, cohort) -> QuerySet[Enrolment]:
    """The cohort page's rows: the enrolments on it the person may see, with their figures."""
    return with_progress_figures(enrolments_on_cohort(membership=membership, cohort=cohort))


def cohort_page(*, membership: Membership | None, cohort, filterset, number, per_page: int, today: date) -> Page:
    """Page ``number`` of the cohort page's rows: the enrolments on the cohort the person sees
    (enrolments_on_cohort) narrowed by ``filterset`` (a trainees.filters.CohortEnrolmentFilter,
    by the values of its form that are valid), each a Progress, with their trainees and wards;
    the count of them all comes with the page's rows (core.pagination.page_fetched).

    For a cohort from get_cohort_for, one statement compiled once (core.prepared) for each role
    and set of filters given, its values and the page's LIMIT and OFFSET bound as Params: built
    by the ORM on each visit, it cost more than PostgreSQL took to run it. A name searched is
    any number of words, each its own condition: that list is built by the ORM, as is one for
    any other cohort."""
    values = {}
    if filterset.is_bound:
        filterset.is_valid()  # then cleaned_data holds the values that are valid (as FilterSet.qs)
        values = {name: value for name, value in filterset.form.cleaned_data.items() if value not in EMPTY_VALUES}
    if membership is not None and cohort_seen_by(cohort, membership) and "q" not in values:
        statement = _cohort_page_rows(membership.role, tuple(sorted(values)), type(filterset))
        bound = {
            **membership_params(membership), "cohort_id": cohort.pk, "today": today,
            "status": values.get("status", ""), "ward": values.get("ward", 0),
        }
        rows = PagedRows(lambda offset, limit: statement.rows(**bound, offset=offset, limit=limit))
    else:
        listed = _cohort_page_list(enrolments_on_cohort(membership=membership, cohort=cohort), filterset, values)
        rows = PagedRows(lambda offset, limit: list(listed[offset:offset + limit]))
    return _progress_page(page_fetched(rows, per_page, number), cohort, today)


def _progress_page(page: Page, cohort, today: date) -> Page:
    """``page`` of cohort_page's rows (dicts) made Progress, as the page shows them."""
    page.object_list = [_progress_shown(e, cohort, today) for e in _enrolments_of(page.object_list, _PAGE_FIGURES)]
    return page


def _progress_shown(enrolment: Enrolment, cohort, today: date) -> Progress:
    """progress_of for a row of the cohort page, which shows the hours taken of those planned,
    never the hours lost (so not read)."""
    # One signature a party (ContractSignature's constraint): as with_signature_count counts.
    enrolment.signature_count = len(signers_of(enrolment.signers))
    # Each row's (the planned hours and reviews are worked from its dates): cached, as
    # _enrolments_of caches the trainee.
    _COHORT_OF.set_cached_value(enrolment, cohort)
    study = StudyTime(planned=planned_hours_to_date(enrolment, today), taken=enrolment.hours_taken, lost=None)
    return Progress(enrolment=enrolment, study=study, review_due=next_review_due(enrolment), today=today)


_PAGE_FIGURES = ("hours_taken", "last_review_on", "signers")
# By name; people of the same name in the order they were enrolled, whichever statement reads them.
COHORT_PAGE_ORDER = ("trainee__last_name", "trainee__first_name", "pk")


def _cohort_page_list(on_cohort: QuerySet[Enrolment], filterset, values: dict) -> QuerySet:
    """cohort_page's rows (values(), with the count of them all) of ``on_cohort``, narrowed by
    the filters named in ``values`` (valid values, or core.prepared Params)."""
    # The rows show the trainee, their ward and figures worked from the cohort's dates: the
    # selector's other joins (manager, mentor, programme) cost more planning than the rows.
    # The figures the database keeps (one join: the last review, hours taken, signers).
    figures = with_kept_figures(on_cohort.select_related(None))
    narrowed = filterset.narrowed(figures, values).order_by(*COHORT_PAGE_ORDER)
    return with_total(narrowed).values(*_ENROLMENT_COLUMNS, *_PAGE_FIGURES, TOTAL)


@compiled_once
def _cohort_page_rows(role: str, narrowed_by: tuple[str, ...], filter_class) -> Paged:
    """cohort_page's statement: Params user_id, organisation_id, cohort_id, the values of the
    filters in ``narrowed_by`` (each under its name), today, limit and offset."""
    membership = params_membership(role)
    on_cohort = enrolments_on_cohort(membership=membership, cohort=ParamsCohort(membership))
    filterset = filter_class(queryset=on_cohort, wards=(), today=Param("today", DateField()))
    return paged(_cohort_page_list(on_cohort, filterset, {name: Param(name) for name in narrowed_by}))


def clinical_areas_of(trainees: QuerySet[Trainee]):
    """The wards of these trainees, for filter choices. One query when evaluated."""
    return ClinicalArea.objects.filter(pk__in=trainees.values("clinical_area")).order_by("name")


def wards_on_cohort(*, membership: Membership | None, cohort) -> list[ClinicalArea]:
    """The wards of the trainees on the cohort the person sees (enrolments_on_cohort), by name,
    for the matrix's filter. One query; for a cohort from get_cohort_for, compiled once
    (core.prepared)."""
    if membership is None or not cohort_seen_by(cohort, membership):
        return list(_wards_of(enrolments_on_cohort(membership=membership, cohort=cohort)))
    rows = _wards_on_cohort(membership.role).rows(**membership_params(membership), cohort_id=cohort.pk)
    return [instance_of(ClinicalArea, row, _WARD_LOADED) for row in rows]


def _wards_of(enrolments: QuerySet[Enrolment]) -> QuerySet[ClinicalArea]:
    return ClinicalArea.objects.filter(pk__in=enrolments.values("trainee__clinical_area")).order_by("name")


_WARD_LOADED = {field.attname: field.attname for field in ClinicalArea._meta.concrete_fields}


@compiled_once
def _wards_on_cohort(role: str) -> QuerySet:
    """wards_on_cohort's statement: Params user_id, organisation_id, cohort_id."""
    return wards_on_cohort_query(role)


def wards_on_cohort_query(role: str) -> QuerySet:
    """wards_on_cohort's rows for a cohort from get_cohort_for, for a person of ``role``: a
    values() QuerySet with core.prepared Params user_id, organisation_id, cohort_id, for a
    statement that reads them with its own rows (the matrix's page)."""
    membership = params_membership(role)
    return _wards_of(enrolments_on_cohort(membership=membership, cohort=ParamsCohort(membership))).values(
        *_WARD_LOADED
    )


# --- The cohort page at a glance ------------------------------------------------------------------


class CohortOverview(NamedTuple):
    """What the cohort page shows of a cohort whatever its filter asks (cohort_overview)."""

    below_plan: list[BelowPlan]  # below_plan_on_cohort's first, by name
    below_plan_count: int
    wards: list[ClinicalArea]  # wards_on_cohort's
    page: Page | None  # cohort_page's, unfiltered: when asked for (per_page)


def cohort_overview(
    *, membership: Membership | None, cohort, today: date, first: int, number=None, per_page: int | None = None,
) -> CohortOverview:
    """below_plan_on_cohort's first ``first`` below plan with how many are, wards_on_cohort's
    wards and, given ``per_page``, cohort_page's page ``number`` of every row (no filter).

    For a cohort from get_cohort_for on PostgreSQL, one statement compiled once (_overview):
    each of those reads the same enrolments (the person's on the cohort, with their trainees,
    wards and kept figures), most of its cost; this reads them once and takes each part from
    them. On SQLite, or for any other cohort, those functions' own reads, which tests hold
    equal to it."""
    if connection.vendor != "postgresql" or not cohort_seen_by(cohort, membership):
        below, below_count = below_plan_on_cohort(membership=membership, cohort=cohort, today=today, first=first)
        wards = wards_on_cohort(membership=membership, cohort=cohort)
        page = None if per_page is None else cohort_page(
            membership=membership, cohort=cohort, filterset=CohortEnrolmentFilter(None, wards=wards),
            number=number, per_page=per_page, today=today,
        )
        return CohortOverview(below, below_count, wards, page)
    statement = _overview(membership.role, first, per_page is not None)
    values = {**membership_params(membership), "cohort_id": cohort.pk, "today": today}
    parts: dict[str, list[dict]] = {}

    def read(offset: int, limit: int) -> list[dict]:
        parts.clear()  # page_fetched may read again (a page past the end): the last read's
        for row in statement.rows(**values, offset=offset, limit=limit):
            parts.setdefault(row["part"], []).append(row)
        return parts.get("page", [])

    page = None
    if per_page is None:
        read(0, 0)
    else:
        page = _progress_page(page_fetched(PagedRows(read), per_page, number), cohort, today)
    below = parts.get("below", [])
    for row in below:
        row["below_plan_count"] = row[TOTAL]
    wards = [instance_of(ClinicalArea, row, _OVERVIEW_WARD) for row in parts.get("ward", [])]
    return CohortOverview(*_below_plan_of(_enrolments_of(below, _BELOW_PLAN_FIGURES)), wards, page)


_OVERVIEW_WARD = {"id": "trainee__clinical_area__id", "name": "trainee__clinical_area__name"}
_OVERVIEW_COLUMNS = (*_ENROLMENT_COLUMNS, "planned_hours", *_PAGE_FIGURES)


@compiled_once
def _overview(role: str, first: int, with_page: bool) -> Statement:
    """cohort_overview's statement: Params user_id, organisation_id, cohort_id, today, and with
    the page, limit and offset. Its rows are each a part's: "page" (with the count of every
    row), "below" (with how many are below plan) and "ward" (its id and name alone), in that
    order, each part in its own order, with _OVERVIEW_COLUMNS and TOTAL."""
    membership = params_membership(role)
    on_cohort = enrolments_on_cohort(membership=membership, cohort=ParamsCohort(membership)).select_related(None)
    seen = with_kept_figures(with_planned_hours(on_cohort, Param("today", DateField())))
    seen = seen.order_by().values(*_OVERVIEW_COLUMNS)
    columns = ", ".join(f's."{name}"' for name in _OVERVIEW_COLUMNS)
    ward_only = ", ".join(f'w."{name}"' if name in _OVERVIEW_WARD.values() else "NULL" for name in _OVERVIEW_COLUMNS)
    # COHORT_PAGE_ORDER and BELOW_PLAN_ORDER; below_plan_q on the figures read (below_plan_sql).
    by_name = 's."trainee__last_name", s."trainee__first_name", s."id"'
    below = below_plan_sql("s")
    page = f"""
        SELECT * FROM (
            SELECT 'page' AS part, {columns}, COUNT(*) OVER () AS counted
            FROM seen s ORDER BY {by_name} LIMIT %(limit)s OFFSET %(offset)s
        ) page
        UNION ALL"""  # noqa: S608  # nosec B608 (column names and constants from the code)
    # One read of the enrolments (MATERIALIZED), each part taken from it (the wards in
    # wards_on_cohort's order). The parts come in the order written, each in its own: a CTE
    # scan is never run by parallel workers, so the Append runs its branches one after the
    # other, each keeping its subquery's order (the test against the three reads checks it).
    sql = f"""
        WITH seen AS MATERIALIZED ({{seen}}){page if with_page else ""}
        SELECT * FROM (
            SELECT 'below', {columns}, COUNT(*) OVER ()
            FROM seen s WHERE {below} ORDER BY {by_name} LIMIT {int(first)}
        ) below
        UNION ALL
        SELECT 'ward', {ward_only}, 0 FROM (
            SELECT DISTINCT s."trainee__clinical_area__id", s."trainee__clinical_area__name" FROM seen s
            WHERE s."trainee__clinical_area__id" IS NOT NULL
            ORDER BY s."trainee__clinical_area__name", s."trainee__clinical_area__id"
        ) w
    """  # noqa: S608  # nosec B608 (column names and constants from the code, every value a parameter)
    return statement(sql, ("part", *_OVERVIEW_COLUMNS, TOTAL), seen=seen)


# --- Enrolled elsewhere ---------------------------------------------------------------------------

# On another cohort in one of these, a trainee being enrolled here is probably moving, or a
# mistake: the enrol form asks to confirm, the API needs confirm_active_elsewhere, the import warns.
STILL_ON = (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)


def enrolments_active_elsewhere(*, trainee_ids: Iterable[int], cohort) -> dict[int, list[Enrolment]]:
    """Each of these trainees' active or paused enrolments on cohorts other than ``cohort``
    (with the cohort and programme), by trainee id; trainees with none are left out. One query.
    Not scoped: the callers have the trainees from a scoped read, and all of a trainee's
    enrolments are with their own organisation's programmes (enrolment_create)."""
    found: dict[int, list[Enrolment]] = {}
    elsewhere = (
        Enrolment.objects.filter(trainee_id__in=list(trainee_ids), status__in=STILL_ON)
        .exclude(cohort=cohort).select_related("cohort__programme").order_by("trainee_id", "pk")
    )
    for enrolment in elsewhere:
        found.setdefault(enrolment.trainee_id, []).append(enrolment)
    return found


def describe_enrolments(enrolments: Iterable[Enrolment]) -> str:
    """“Programme: Cohort (active)”, joined with semicolons, for messages."""
    return "; ".join(
        f"{e.cohort.programme.title}: {e.cohort.name} ({e.get_status_display().lower()})" for e in enrolments
    )
