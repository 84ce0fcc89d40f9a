"""Reads for evidence, attainment, the cohort progress matrix, portfolios and delegation
readiness, each scoped to what the acting person may see and costing a fixed number of queries
however many trainees, competencies and pieces of evidence there are.

Who sees evidence: whoever sees the trainee (trainees.selectors.trainees_visible_to): the
training leads and workforce planners of the trainee's organisation, the trainee's line manager
and mentor, lecturers of a cohort the trainee is on, and the trainee themself.

Attainment: a trainee has reached, in a competency, the highest level awarded on their
signed-off evidence. Evidence waiting for assessment or returned counts for nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.core.paginator import Page
from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.access import get_scoped_or_404
from core.pagination import page_of
from core.prepared import Param, compiled_once, membership_params, params_membership
from core.status import StatusTag
from programmes.models import Cohort, Membership, Role
from programmes.selectors import ParamsCohort, cohort_seen_by
from trainees.models import Enrolment, Trainee
from trainees.selectors import enrolments_on_cohort, enrolments_visible_to, visible_trainees_q

from ..access import competencies_visible_to
from ..assessors import can_assess_trainee
from ..models import (
    DEFAULT_REASSESSMENT,
    AttainmentDecision,
    Competency,
    CurrentAttainment,
    Evidence,
    EvidenceClaim,
    EvidenceComment,
    EvidenceFile,
    RoleProfileItem,
    Scale,
    SelfAssessment,
)
from ..validity import (
    Status,
    expiring_window,
    status_of,
    valid_until_for,
    validity_months,
)
from .services import EDITABLE_STATUSES

# Evidence an assessor has decided on, with levels recorded (at target or not yet).
ASSESSED_STATUSES = (Evidence.Status.SIGNED_OFF, Evidence.Status.PROGRESS)
OPEN_STATUSES = (Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)
# Who is on a cohort for the matrix and delegation: everyone but those who withdrew (people who
# completed are still on the ward, and still delegated tasks).
COUNTED_STATUSES = (*OPEN_STATUSES, Enrolment.Status.COMPLETED)
MATRIX_ROLES = (Role.TRAINING_LEAD, Role.PLANNER, Role.LECTURER, Role.MANAGER, Role.MENTOR)
DELEGATION_ROLES = MATRIX_ROLES
DUE_SOON = timedelta(days=30)  # reassessments within this are flagged as coming up


# --- Evidence -----------------------------------------------------------------------------------


def evidence_visible_to(*, membership: Membership | None) -> QuerySet[Evidence]:
    if membership is None:
        return Evidence.objects.none()
    return Evidence.objects.filter(visible_trainees_q(membership=membership)).select_related(
        "trainee", "submitted_by", "assessed_by", "assessor_organisation"
    )


def get_evidence_for(*, membership: Membership | None, pk) -> Evidence:
    """The evidence if the person may see it, or 404 (never 403: others' ids stay secret)."""
    return get_scoped_or_404(evidence_visible_to(membership=membership), membership, None, pk=pk)


def get_evidence_file_for(*, membership: Membership | None, pk) -> EvidenceFile:
    files = EvidenceFile.objects.filter(
        evidence__in=evidence_visible_to(membership=membership).values("pk")
    )
    return get_scoped_or_404(files, membership, None, pk=pk)


def evidence_list(
    *, membership: Membership | None, status: str | None = None, unassigned: bool = False
) -> QuerySet[Evidence]:
    """The evidence list: what needs the person first (a mentor: their mentees' evidence
    waiting for assessment; a trainee: their evidence returned for changes), then newest.
    Claims and their competencies come prefetched: two queries a page."""
    evidence = evidence_visible_to(membership=membership)
    if status in Evidence.Status.values:
        evidence = evidence.filter(status=status)
    if unassigned:
        evidence = evidence.filter(trainee__mentor__isnull=True)
    first = Value(1)
    if membership is not None and membership.role == Role.MENTOR:
        first = Case(
            When(status=Evidence.Status.SUBMITTED, trainee__mentor_id=membership.user_id, then=0),
            default=1, output_field=IntegerField(),
        )
    elif membership is not None and membership.role == Role.TRAINEE:
        first = Case(When(status=Evidence.Status.RETURNED, then=0), default=1, output_field=IntegerField())
    return (
        evidence.annotate(needs_me=first, file_count=Count("files", distinct=True))
        .prefetch_related("claims__competency")
        .order_by("needs_me", "-occurred_on", "-pk")
    )


def own_trainee_record(membership: Membership | None) -> Trainee | None:
    """The acting trainee's own record in the acting organisation (None for other roles)."""
    if membership is None or membership.role != Role.TRAINEE:
        return None
    return (
        Trainee.objects.filter(user_id=membership.user_id, organisation_id=membership.organisation_id)
        .select_related("mentor")
        .first()
    )


# --- What each person may do ----------------------------------------------------------------------


def is_own(membership: Membership | None, evidence: Evidence) -> bool:
    return (
        membership is not None
        and membership.role == Role.TRAINEE
        and evidence.trainee.user_id == membership.user_id
    )


def can_edit(membership: Membership | None, evidence: Evidence) -> bool:
    return is_own(membership, evidence) and evidence.status in EDITABLE_STATUSES


def can_reply(membership: Membership | None, evidence: Evidence) -> bool:
    return is_own(membership, evidence) or can_assess_trainee(membership, evidence.trainee)


# --- Choosing competencies ------------------------------------------------------------------------


def profile_items_for_trainee(trainee: Trainee) -> QuerySet[RoleProfileItem]:
    """The role-profile items of the programmes the trainee is on (open enrolments), with each
    competency's framework and scale loaded. One query."""
    programmes = Enrolment.objects.filter(trainee=trainee, status__in=OPEN_STATUSES).values(
        "cohort__programme_id"
    )
    return RoleProfileItem.objects.filter(profile__programme_id__in=programmes).select_related(
        "competency__framework__scale", "competency__scale"
    ).order_by("sort_order", "pk")


def competency_choices(*, membership: Membership, trainee: Trainee) -> tuple[list, list]:
    """(the trainee's role-profile competencies, every other competency they may claim, in
    framework order). Two queries."""
    items, seen = [], set()
    for item in profile_items_for_trainee(trainee):
        if item.competency_id not in seen:
            seen.add(item.competency_id)
            items.append(item)
    others = [
        c
        for c in competencies_visible_to(membership=membership).order_by(
            "framework__short_name", "framework__version", "framework_id", "sort_order", "pk"
        )
        if c.pk not in seen
    ]
    return items, others


# --- Attainment ---------------------------------------------------------------------------------


class Attained(NamedTuple):
    """The current version of a trainee's attainment in a competency: its level, the day it was
    decided (a reassessment counts from it), its status on the day asked (see
    competencies.validity.Status) and its last valid day (None: it does not expire)."""

    level: int | None
    signed_off_on: date | None
    status: str = Status.CURRENT
    valid_until: date | None = None
    kind: str = AttainmentDecision.Kind.SIGNED_OFF

    @property
    def counts(self) -> bool:
        """Attained at all: not expired, not withdrawn."""
        return self.status in Status.COUNTS and self.level is not None

    @property
    def status_tag(self) -> StatusTag:
        """The version's status in words and tag colour (competencies.validity.Status)."""
        return StatusTag(Status.LABELS[self.status], Status.TAG_COLOURS[self.status])

    def meets(self, target: int) -> bool:
        """At or above ``target`` and still counting."""
        return self.counts and self.level >= target


def _ids(things) -> Iterable:
    """A subquery for a queryset (no query of its own), or the ids of objects or ints."""
    if isinstance(things, QuerySet):
        return things.values("pk")
    return [getattr(thing, "pk", thing) for thing in things]


def current_decisions(trainee_ids, competency_ids) -> QuerySet[AttainmentDecision]:
    """The current version of each (trainee, competency) pair: the newest decision that is not
    a self-rating. A correlated subquery, so one query however many pairs."""
    newest = (
        AttainmentDecision.objects.filter(
            trainee_id=OuterRef("trainee_id"), competency_id=OuterRef("competency_id")
        )
        .exclude(kind=AttainmentDecision.Kind.SELF_RATED)
        .order_by("-decided_at", "-pk")
        .values("pk")[:1]
    )
    return AttainmentDecision.objects.filter(
        trainee_id__in=trainee_ids, competency_id__in=competency_ids,
        pk=Subquery(newest),
    ).order_by()


def _newest_versions(trainee_ids, competency_ids) -> QuerySet[CurrentAttainment]:
    """The current version of each pair, as current_decisions picks it, read from
    CurrentAttainment (kept by the database as decisions are written): an indexed read
    rather than the newest of every pair's versions picked at each request (a cohort of 200
    by 60 competencies: 10,000 pairs out of their decisions). Its rows carry the decision's
    facts under the same names (level, kind, decided_at, valid_until, target_level); unlike
    a pick of the newest, it may be filtered and grouped further."""
    return CurrentAttainment.objects.filter(trainee_id__in=trainee_ids, competency_id__in=competency_ids).order_by()


def _attained(rows, today: date | None = None) -> dict[tuple[int, int], Attained]:
    """From rows of (trainee id, competency id, level, the local day decided, kind, valid
    until, target)."""
    today = today or timezone.localdate()
    window = expiring_window()
    return {
        (trainee_id, competency_id): Attained(
            level, decided_on, status_of(kind, valid_until, today, window, level, target), valid_until, kind,
        )
        for trainee_id, competency_id, level, decided_on, kind, valid_until, target in rows
    }


def attainment_for(trainees, competencies, *, today: date | None = None) -> dict[tuple[int, int], Attained]:
    """{(trainee id, competency id): Attained} for each pair with a current version of
    attainment (a sign-off, progress below target, a confirmed self-assessment, a
    reassessment, or a withdrawal): its level, the day it was decided, its status on ``today``
    and its last valid day. Expired and withdrawn versions are included with that status:
    use ``Attained.counts`` / ``Attained.meets(target)``, never the level alone.

    ``trainees`` and ``competencies`` are querysets (used as subqueries) or iterables of objects
    or ids. One query, whatever their number; none when either is an empty list. Callers scope
    the trainees to the person asking."""
    trainee_ids, competency_ids = _ids(trainees), _ids(competencies)
    if isinstance(trainee_ids, list) and not trainee_ids:
        return {}
    if isinstance(competency_ids, list) and not competency_ids:
        return {}
    # The day decided worked out by the database (in the current time zone, as localdate
    # would): a date is cheaper to read than a moment with its zone, and a matrix page has
    # 1,500 of them.
    rows = _newest_versions(trainee_ids, competency_ids).annotate(decided_on=TruncDate("decided_at")).values_list(
        "trainee_id", "competency_id", "level", "decided_on", "kind", "valid_until", "target_level"
    )
    return _attained(rows, today)


def latest_self_ratings(trainee_ids, competency_ids) -> dict[tuple[int, int], int]:
    """{(trainee id, competency id): level} of each pair's newest self-assessment. One query
    (none for an empty list)."""
    trainee_ids, competency_ids = _ids(trainee_ids), _ids(competency_ids)
    if (isinstance(trainee_ids, list) and not trainee_ids) or (
        isinstance(competency_ids, list) and not competency_ids
    ):
        return {}
    newest = (
        SelfAssessment.objects.filter(trainee_id=OuterRef("trainee_id"), competency_id=OuterRef("competency_id"))
        .order_by("-submitted_at", "-pk").values("pk")[:1]
    )
    rows = SelfAssessment.objects.filter(
        trainee_id__in=trainee_ids, competency_id__in=competency_ids, pk=Subquery(newest)
    ).order_by().values_list("trainee_id", "competency_id", "level")
    return {(t, c): level for t, c, level in rows}


def attainment_counts(
    enrolments: Sequence[Enrolment], targets: dict[int, int], today: date
) -> tuple[dict[tuple[int, int, int], int], int]:
    """({(competency id, cohort id, level): how many of ``enrolments`` count that level in
    the competency}, how many of them meet every target of ``targets`` ({competency id: level})),
    over the competencies of ``targets``. What counts is what attainment_for and
    ``Attained.meets(target)`` say: the current version, not withdrawn, not past its last valid
    day, with a level. One query whatever the numbers of trainees and competencies (none when
    either is empty): the current versions are picked once, the database counts them twice."""
    if not enrolments or not targets:
        return {}, 0
    newest, newest_params = _newest_versions(sorted({e.trainee_id for e in enrolments}), list(targets)).values(
        "trainee_id", "competency_id", "level", "kind", "valid_until"
    ).query.sql_with_params()
    enrolled, enrolled_params = Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).order_by().values(
        "id", "trainee_id", "cohort_id"
    ).query.sql_with_params()
    target = "CASE competency_id" + " WHEN %s THEN %s" * len(targets) + " END"
    # Two counts of one set of rows (the current versions that count, joined to the
    # enrolments): written as SQL around the ORM's, as the ORM has no UNION of groupings.
    sql = (
        "WITH counted AS ("  # noqa: S608  # nosec B608 (the ORM's SQL and placeholders; every value a parameter)
        " SELECT newest.competency_id, newest.level, enrolled.id AS enrolment_id, enrolled.cohort_id"
        f" FROM ({newest}) AS newest JOIN ({enrolled}) AS enrolled ON enrolled.trainee_id = newest.trainee_id"
        " WHERE newest.kind <> %s AND newest.level IS NOT NULL"
        " AND (newest.valid_until IS NULL OR newest.valid_until >= %s))"
        " SELECT competency_id, cohort_id, level, COUNT(*) FROM counted GROUP BY competency_id, cohort_id, level"
        " UNION ALL SELECT NULL, NULL, NULL, COUNT(*) FROM ("
        f" SELECT enrolment_id FROM counted WHERE level >= {target}"
        " GROUP BY enrolment_id HAVING COUNT(DISTINCT competency_id) = %s) AS meeting_all"
    )
    params = [*newest_params, *enrolled_params, AttainmentDecision.Kind.WITHDRAWN, today,
              *(value for pair in targets.items() for value in pair), len(targets)]
    levels, meeting_all = {}, 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for competency_id, cohort_id, level, n in cursor.fetchall():
            if competency_id is None:  # the last row: the enrolments meeting every target
                meeting_all = n
            else:
                levels[(competency_id, cohort_id, level)] = n
    return levels, meeting_all


def _level_name(scale: Scale, index: int | None) -> str:
    return _level_name_of(scale.levels, index)


def _level_name_of(levels: list[dict], index: int | None) -> str:
    """The name of a level of a scale whose levels (Scale.levels) are these."""
    if index is None:
        return ""
    return levels[index]["name"] if 0 <= index < len(levels) else f"Level {index + 1}"


# --- The cohort progress matrix -------------------------------------------------------------------


class Cell(NamedTuple):
    """One trainee against one competency. A named tuple (as Attained): a matrix has 1,500 of
    them, and a frozen dataclass takes five times as long to make."""

    reached: int | None
    reached_name: str
    target: int
    target_name: str
    met: bool
    signed_off_on: date | None
    status: str = ""  # validity.Status of the current version; "" when there is none
    valid_until: date | None = None
    self_rated: int | None = None  # the trainee's latest self-rating, shown beside, never averaged


@dataclass
class Column:
    item: RoleProfileItem
    competency: Competency
    scale: Scale
    target_name: str
    met_count: int = 0


@dataclass
class Row:
    enrolment: Enrolment  # with its trainee and the trainee's ward loaded, nothing else
    trainee: Trainee
    cells: list[Cell]
    met_count: int


@dataclass
class Matrix:
    cohort: Cohort
    columns: list[Column]
    rows: list[Row]  # the trainees of the page asked for (everyone when not paginated)
    total_trainees: int | None = None  # every trainee the person sees, counted in SQL
    page_obj: Page | None = None

    @property
    def trainee_count(self) -> int:
        return len(self.rows) if self.total_trainees is None else self.total_trainees

    @property
    def competency_count(self) -> int:
        return len(self.columns)


MATRIX_PAGE_SIZE = 25
MATRIX_ORDER = ("trainee__last_name", "trainee__first_name", "pk")  # of the enrolments: the rows


def _met_counts(trainee_ids, plan: list[tuple[int, int]], today: date) -> dict[int, int]:
    """{competency id: trainees who met its target}, counted by the database: the current
    version of each pair that still counts (not withdrawn, not expired), grouped by competency
    and level. One query, whatever the number of trainees; ``trainee_ids`` is a queryset of
    their ids alone (``values("trainee_id")``) or a list; ``plan`` is (competency id, target)."""
    if not plan:
        return {}
    rows = _counting(
        _newest_versions(trainee_ids, [competency_id for competency_id, _ in plan]), today
    ).values_list("competency_id", "level", "n")
    return _met_of(rows, plan)


def _counting(versions: QuerySet[CurrentAttainment], today) -> QuerySet[CurrentAttainment]:
    """How many of ``versions`` count each level of each competency (not withdrawn, not
    expired on ``today``: a date or a core.prepared Param)."""
    return (
        versions.exclude(kind=AttainmentDecision.Kind.WITHDRAWN)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today), level__isnull=False)
        .values("competency_id", "level")
        .annotate(n=Count("*"))
    )


def _met_of(rows, plan: list[tuple[int, int]]) -> dict[int, int]:
    """_met_counts' answer from rows of (competency id, level, how many)."""
    by_level: dict[int, list[tuple[int, int]]] = {}
    for competency_id, level, n in rows:
        by_level.setdefault(competency_id, []).append((level, n))
    return {
        competency_id: sum(n for level, n in by_level.get(competency_id, ()) if level >= target)
        for competency_id, target in plan
    }


def _counted_on(cohort, membership: Membership | None, ward_id) -> QuerySet[Enrolment]:
    """The matrix's trainees: the enrolments on the cohort the person sees, but for those who
    withdrew; with ``ward_id`` (an id or a core.prepared Param), those working there."""
    everyone = enrolments_on_cohort(membership=membership, cohort=cohort).filter(status__in=COUNTED_STATUSES)
    if ward_id is not None:
        everyone = everyone.filter(trainee__clinical_area_id=ward_id)
    return everyone


def _profile_items(programme_id, kind: str | None) -> QuerySet[RoleProfileItem]:
    """The matrix's columns: the items of the programme's role profile, of one kind when given
    (an id and a kind, or core.prepared Params)."""
    items = RoleProfileItem.objects.filter(profile__programme_id=programme_id)
    return items.filter(kind=kind) if kind is not None else items


@compiled_once
def _cohort_met_rows(role: str, by_ward: bool, by_kind: bool) -> QuerySet:
    """_met_counts' rows for the matrix of a cohort from get_cohort_for, compiled once
    (core.prepared): the same trainees (_counted_on, for a stand-in membership and cohort) and
    the same competencies, the columns' (_profile_items) read in the statement rather than
    listed: a list of Params would be an array built again for each row of a generic plan.
    Params user_id, organisation_id, cohort_id, programme_id, ward and kind (when by_ward,
    by_kind), today."""
    membership = params_membership(role)
    everyone = _counted_on(ParamsCohort(membership), membership, Param("ward") if by_ward else None)
    columns = _profile_items(Param("programme_id"), Param("kind") if by_kind else None).values("competency_id")
    return _counting(
        _newest_versions(everyone.order_by().values("trainee_id"), columns), Param("today"),
    ).values("competency_id", "level", "n")


def progress_matrix(
    *, cohort: Cohort, membership: Membership | None, kind: str | None = None, ward=None,
    page: int | str | None = None, per_page: int | None = None,
) -> Matrix:
    """Trainees of the cohort the person may see (all but those who withdrew) against the
    competencies of the programme's role profile: each cell the level reached against the
    target, met or not; totals per trainee and per competency. What the cohort progress report
    shows; the matrix page reads the same through competencies.evidence.matrix (one statement
    on PostgreSQL, this on SQLite).

    With ``per_page``, only that page of trainees gets rows (``matrix.page_obj`` says which);
    the totals per competency and the number of trainees are counted by the database over
    everyone, so a cohort of thousands costs what a page does. Queries, whatever the size: the
    enrolments (counted in the same statement when paginated), the profile's items, the
    attainment and the latest self-ratings of the page (shown beside the confirmed level, never
    averaged), and the met totals; and first the visible cohort ids unless ``cohort`` came
    from get_cohort_for for this membership (trainees.selectors.enrolments_on_cohort).
    ``kind`` narrows to core or role-specific competencies; ``ward`` (a ClinicalArea or its id)
    to the trainees working there. The caller has checked the person may see the cohort."""
    today = timezone.localdate()
    ward_id = getattr(ward, "pk", ward)
    everyone = _counted_on(cohort, membership, ward_id)
    # A row shows the trainee's name and ward only: the selector's other joins (manager,
    # mentor, cohort, programme) would cost more than the rest of the page's rows.
    everyone = everyone.select_related(None).select_related("trainee__clinical_area").order_by(*MATRIX_ORDER)
    page_obj = None
    if per_page:
        page_obj = page_of(everyone, per_page, page, count_with_rows=True)
        enrolments = list(page_obj)
    else:
        enrolments = list(everyone)
    # Only what a column shows (the competency's id number, name and framework, the levels'
    # names): a framework and a competency carry long descriptions and a score of other fields,
    # and building 60 of each in full cost more than the rest of the columns.
    items = _profile_items(cohort.programme_id, None).select_related(
        "competency__framework__scale", "competency__scale"
    ).only(
        "competency_id", "kind", "target_level", "sort_order",
        "competency__id_number", "competency__short_name", "competency__framework_id", "competency__scale_id",
        "competency__framework__short_name", "competency__framework__version", "competency__framework__scale_id",
        "competency__framework__scale__levels", "competency__scale__levels",
    ).order_by("sort_order", "pk")
    if kind in RoleProfileItem.Kind.values:
        items = items.filter(kind=kind)
    items = list(items)
    columns = []
    for item in items:
        scale = item.competency.effective_scale()
        columns.append(Column(item=item, competency=item.competency, scale=scale,
                              target_name=_level_name(scale, item.target_level)))
    trainee_ids, competency_ids = [e.trainee_id for e in enrolments], [i.competency_id for i in items]
    attained = attainment_for(trainee_ids, competency_ids, today=today)
    self_rated = latest_self_ratings(trainee_ids, competency_ids)
    # Built for thousands of cells: the names of each column's levels are looked up once.
    plan = [
        (column, column.competency.pk, column.item.target_level,
         [_level_name(column.scale, i) for i in range(len(column.scale.levels))])
        for column in columns
    ]
    rows = []
    for enrolment in enrolments:
        cells, met_count, trainee_id = [], 0, enrolment.trainee_id
        for column, competency_id, target, names in plan:
            got = attained.get((trainee_id, competency_id))
            own = self_rated.get((trainee_id, competency_id))
            if got is None:
                cell = Cell(None, "None yet", target, column.target_name, False, None, "", None, own)
            elif not got.counts:  # expired or withdrawn: not attained, and says why
                cell = Cell(None, Status.LABELS[got.status], target, column.target_name, False,
                            got.signed_off_on, got.status, got.valid_until, own)
            else:
                level = got.level
                met = level >= target
                name = names[level] if level < len(names) else f"Level {level + 1}"
                cell = Cell(level, name, target, column.target_name, met, got.signed_off_on,
                            got.status, got.valid_until, own)
                met_count += met
            cells.append(cell)
        rows.append(Row(enrolment=enrolment, trainee=enrolment.trainee, cells=cells, met_count=met_count))
    if columns and (page_obj is None or page_obj.paginator.count):
        plan = [(column.competency.pk, column.item.target_level) for column in columns]
        if cohort_seen_by(cohort, membership):
            counted = _cohort_met_rows(membership.role, ward_id is not None, kind in RoleProfileItem.Kind.values).rows(
                **membership_params(membership), cohort_id=cohort.pk, programme_id=cohort.programme_id,
                ward=ward_id or 0, kind=kind or "", today=today,
            )
            met = _met_of([(row["competency_id"], row["level"], row["n"]) for row in counted], plan)
        else:
            met = _met_counts(everyone.order_by().values("trainee_id"), plan, today)
        for column in columns:
            column.met_count = met[column.competency.pk]
    return Matrix(
        cohort=cohort, columns=columns, rows=rows, page_obj=page_obj,
        total_trainees=page_obj.paginator.count if page_obj else None,
    )


# --- A trainee's portfolio ----------------------------------------------------------------------


@dataclass
class PortfolioEntry:
    competency: Competency
    scale: Scale
    item: RoleProfileItem | None  # None: evidence against a competency outside the profile
    reached: int | None = None
    reached_name: str = ""
    signed_off_on: date | None = None
    target_name: str = ""
    met: bool = False
    status: str = ""  # validity.Status of the current version, "" when there is none
    valid_until: date | None = None
    signed_off: list[EvidenceClaim] = field(default_factory=list)  # with level_name set
    pending: int = 0  # pieces waiting for assessment or returned
    history: list[AttainmentDecision] = field(default_factory=list)  # newest first, level_name set
    self_rating: SelfAssessment | None = None  # the newest, with level_name set

    @property
    def status_label(self) -> str:
        return Status.LABELS.get(self.status, "")

    @property
    def status_colour(self) -> str:
        return Status.TAG_COLOURS.get(self.status, "white")

    @property
    def status_tag(self) -> StatusTag:
        return StatusTag(self.status_label, self.status_colour)


@dataclass
class Portfolio:
    trainee: Trainee
    profile: list[PortfolioEntry]
    other: list[PortfolioEntry]

    @property
    def met_count(self) -> int:
        return sum(e.met for e in self.profile)


def portfolio_for(*, trainee: Trainee, today: date | None = None) -> Portfolio:
    """Every competency of the trainee's role profile (the programmes they are on), and any
    other competency they have evidence or a decision for, with the current version of
    attainment (level, status, valid until), the target, every version newest first, the
    newest self-rating beside it, and the signed-off evidence behind it: what a KSF appraisal
    asks for. Four queries. The caller has checked the person may see the trainee."""
    today = today or timezone.localdate()
    programmes = Enrolment.objects.filter(trainee=trainee, status__in=COUNTED_STATUSES).values(
        "cohort__programme_id"
    )
    items = RoleProfileItem.objects.filter(profile__programme_id__in=programmes).select_related(
        "competency__framework__scale", "competency__scale"
    ).order_by("sort_order", "pk")
    claims = (
        EvidenceClaim.objects.filter(evidence__trainee=trainee)
        .select_related(
            "evidence__assessed_by", "evidence__assessor_organisation",
            "competency__framework__scale", "competency__scale",
        )
        .order_by("-evidence__assessed_at", "-evidence__occurred_on", "-pk")
    )
    decisions = (
        AttainmentDecision.objects.filter(trainee=trainee)
        .select_related(
            "decided_by", "assessor_organisation", "evidence", "competency__framework__scale", "competency__scale"
        )
        .order_by("-decided_at", "-pk")
    )
    self_ratings = (
        SelfAssessment.objects.filter(trainee=trainee)
        .select_related("competency__framework__scale", "competency__scale")
        .order_by("-submitted_at", "-pk")
    )
    entries: dict[int, PortfolioEntry] = {}
    profile: list[PortfolioEntry] = []
    for item in items:
        existing = entries.get(item.competency_id)
        if existing is not None:  # on two programmes: the higher target counts
            if existing.item and item.target_level > existing.item.target_level:
                existing.item = item
            continue
        entry = PortfolioEntry(competency=item.competency, scale=item.competency.effective_scale(), item=item)
        entries[item.competency_id] = entry
        profile.append(entry)
    other: list[PortfolioEntry] = []

    def entry_for(competency: Competency) -> PortfolioEntry:
        entry = entries.get(competency.pk)
        if entry is None:
            entry = PortfolioEntry(competency=competency, scale=competency.effective_scale(), item=None)
            entries[competency.pk] = entry
            other.append(entry)
        return entry

    for claim in claims:
        entry = entry_for(claim.competency)
        evidence = claim.evidence
        if evidence.status in ASSESSED_STATUSES and claim.level_awarded is not None:
            claim.level_name = _level_name(entry.scale, claim.level_awarded)
            entry.signed_off.append(claim)
        else:
            entry.pending += 1
    rows, seen = [], set()
    for decision in decisions:  # newest first: the first non-self-rating is the current one
        entry = entry_for(decision.competency)
        decision.level_name = _level_name(entry.scale, decision.level)
        entry.history.append(decision)
        if decision.kind != AttainmentDecision.Kind.SELF_RATED and decision.competency_id not in seen:
            seen.add(decision.competency_id)
            rows.append((trainee.pk, decision.competency_id, decision.level, timezone.localdate(decision.decided_at),
                         decision.kind, decision.valid_until, decision.target_level))
    for rating in self_ratings:
        entry = entry_for(rating.competency)
        if entry.self_rating is None:
            rating.level_name = _level_name(entry.scale, rating.level)
            entry.self_rating = rating
    attained = _attained(rows, today)
    for competency_id, entry in entries.items():
        got = attained.get((trainee.pk, competency_id))
        if got:
            entry.status, entry.valid_until, entry.signed_off_on = got.status, got.valid_until, got.signed_off_on
            if got.counts:
                entry.reached = got.level
                entry.reached_name = _level_name(entry.scale, got.level)
        if entry.item is not None:
            entry.target_name = _level_name(entry.scale, entry.item.target_level)
            entry.met = got is not None and got.meets(entry.item.target_level)
    other.sort(key=lambda e: (e.competency.framework.short_name, e.competency.sort_order, e.competency.pk))
    return Portfolio(trainee=trainee, profile=profile, other=other)


def targets_for(*, trainee: Trainee) -> dict[int, tuple[int, str]]:
    """{competency id: (target index, its name)} from the trainee's role profile. One query."""
    targets: dict[int, tuple[int, str]] = {}
    for item in profile_items_for_trainee(trainee):
        if item.competency_id not in targets or item.target_level > targets[item.competency_id][0]:
            scale = item.competency.effective_scale()
            targets[item.competency_id] = (item.target_level, _level_name(scale, item.target_level))
    return targets


# --- Delegation readiness -------------------------------------------------------------------------


def reassessment_due(competency: Competency, signed_off_on: date) -> date:
    """When a sign-off made on ``signed_off_on`` would need reassessing (versions store their
    own valid_until; this is for those that have none)."""
    return valid_until_for(competency, signed_off_on) or signed_off_on + DEFAULT_REASSESSMENT


class Readiness:
    READY = "ready"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NOT_YET = "not_yet"

    LABELS = {
        READY: "Signed off",
        DUE_SOON: "Reassessment due soon",
        OVERDUE: "Reassessment overdue",
        NOT_YET: "Not signed off",
    }


@dataclass(frozen=True)
class TraineeReadiness:
    trainee: Trainee
    enrolment: Enrolment
    status: str
    reached_name: str
    target_name: str
    signed_off_on: date | None
    reassessment_due: date | None

    @property
    def may_delegate(self) -> bool:
        return self.status in (Readiness.READY, Readiness.DUE_SOON)

    @property
    def overdue(self) -> bool:
        return self.status == Readiness.OVERDUE

    @property
    def status_label(self) -> str:
        return Readiness.LABELS[self.status]

    @property
    def status_tag(self) -> StatusTag:
        colours = {Readiness.READY: "green", Readiness.DUE_SOON: "yellow", Readiness.OVERDUE: "red"}
        return StatusTag(self.status_label, colours.get(self.status, "grey"))


@dataclass
class DelegatedTask:
    competency: Competency
    trainees: list[TraineeReadiness]

    @property
    def interval(self) -> str:
        months = validity_months(self.competency)
        if months == 12:
            return "every year"
        if months:
            return f"every {months} month{'s' if months != 1 else ''}"
        return f"every {DEFAULT_REASSESSMENT.days} days"

    @property
    def ready_count(self) -> int:
        return sum(t.may_delegate for t in self.trainees)

    @property
    def overdue_count(self) -> int:
        return sum(t.overdue for t in self.trainees)


def delegation_readiness(
    *, membership: Membership | None, cohort: Cohort | None = None, ward=None,
    today: date | None = None,
) -> list[DelegatedTask]:
    """For each delegated healthcare task (a competency marked is_delegated_task) in the role
    profile of a programme the person's trainees are on: which trainees are signed off to do it
    (at or above the profile's target, at a proficient level), when, and when reassessment is
    due (the latest sign-off + the task's reassessment_months, or DEFAULT_REASSESSMENT), with
    overdue reassessments flagged. Trainees not yet signed off are listed too, so a ward manager
    sees who must not be given the task.

    Four queries, whatever the size: the visible cohort ids, enrolments, delegated items, attainment."""
    today = today or timezone.localdate()
    enrolments = enrolments_visible_to(membership=membership).filter(status__in=COUNTED_STATUSES)
    if cohort is not None:
        enrolments = enrolments.filter(cohort=cohort)
    if ward is not None:
        enrolments = enrolments.filter(trainee__clinical_area_id=getattr(ward, "pk", ward))
    enrolments = list(enrolments.order_by("trainee__last_name", "trainee__first_name", "pk"))
    programme_ids = {e.cohort.programme_id for e in enrolments}
    if not programme_ids:
        return []
    items = list(
        RoleProfileItem.objects.filter(
            profile__programme_id__in=programme_ids, competency__is_delegated_task=True
        )
        .select_related("profile", "competency__framework__scale", "competency__scale")
        .order_by("competency__short_name", "competency_id")
    )
    by_programme: dict[int, list[RoleProfileItem]] = defaultdict(list)
    for item in items:
        by_programme[item.profile.programme_id].append(item)
    attained = attainment_for(
        list({e.trainee_id for e in enrolments}), list({i.competency_id for i in items}), today=today
    )
    tasks: dict[int, DelegatedTask] = {}
    # (competency, trainee) -> (enrolment, highest target): a trainee on two programmes
    # needing the same task is listed once, against the higher target.
    wanted: dict[tuple[int, int], tuple[Enrolment, RoleProfileItem]] = {}
    for enrolment in enrolments:
        for item in by_programme.get(enrolment.cohort.programme_id, ()):
            key = (item.competency_id, enrolment.trainee_id)
            if key not in wanted or item.target_level > wanted[key][1].target_level:
                wanted[key] = (enrolment, item)
    for (competency_id, trainee_id), (enrolment, item) in wanted.items():
        competency = item.competency
        scale = competency.effective_scale()
        got = attained.get((trainee_id, competency_id))
        due = None
        if (
            got and got.status != Status.WITHDRAWN and got.level is not None
            and got.level >= item.target_level and scale.is_proficient(got.level) and got.signed_off_on
        ):
            # The version's own last valid day; expired counts as not attained (may not delegate).
            due = got.valid_until or reassessment_due(competency, got.signed_off_on)
            if got.status == Status.EXPIRED or due < today:
                status = Readiness.OVERDUE
            elif got.status == Status.EXPIRING or due - today <= DUE_SOON:
                status = Readiness.DUE_SOON
            else:
                status = Readiness.READY
        else:
            status = Readiness.NOT_YET
        task = tasks.setdefault(competency_id, DelegatedTask(competency=competency, trainees=[]))
        task.trainees.append(TraineeReadiness(
            trainee=enrolment.trainee, enrolment=enrolment, status=status,
            reached_name=_level_name(scale, got.level) if got else "",
            target_name=_level_name(scale, item.target_level),
            signed_off_on=got.signed_off_on if got else None, reassessment_due=due,
        ))
    order = {Readiness.OVERDUE: 0, Readiness.DUE_SOON: 1, Readiness.READY: 2, Readiness.NOT_YET: 3}
    result = sorted(tasks.values(), key=lambda t: (t.competency.short_name.lower(), t.competency.pk))
    for task in result:
        task.trainees.sort(key=lambda t: (order[t.status], t.trainee.last_name, t.trainee.first_name, t.trainee.pk))
    return result


# --- The detail page ------------------------------------------------------------------------------


def evidence_page(evidence: Evidence) -> dict:
    """The evidence page's claims (with competencies and scales), files and thread. Three
    queries."""
    claims = list(
        evidence.claims.select_related("competency__framework__scale", "competency__scale")
        .order_by("competency__framework__short_name", "competency__sort_order", "competency_id")
    )
    for claim in claims:
        claim.scale = claim.competency.effective_scale()
        claim.level_name = _level_name(claim.scale, claim.level_awarded)
    return {
        "claims": claims,
        "files": list(evidence.files.order_by("uploaded_at", "pk")),
        "thread": list(evidence.comments.select_related("author")),
    }


def returned_comment_subquery():
    """The text of the latest 'returned' thread entry of each evidence row (for annotations)."""
    return Subquery(
        EvidenceComment.objects.filter(evidence=OuterRef("pk"), kind=EvidenceComment.Kind.RETURNED)
        .order_by("-created_at", "-pk")
        .values("text")[:1]
    )

