"""What is due for a person on the trainees they work with, for their dashboard.

``due_for(membership)`` returns programmes.due.DueItem items (title, url, due date or None,
detail):

- progress reviews due within REVIEW_SOON, or overdue: for line managers, lecturers and
  trainees, on active enrolments;
- learning contracts waiting for the person's signature: trainees, mentors, managers and
  lecturers, on open enrolments;
- study time below plan (selectors.STUDY_TIME_WARNING): for line managers, on active
  enrolments.

``preview_for(membership, n)`` gives the home page their counts per kind and the most urgent
``n``, counted and chosen by the database. Both cost a fixed number of queries whatever the
number of trainees (figures and signatures are annotated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from django.db import connections
from django.db.models import BooleanField, CharField, DateField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, Greatest
from django.db.models.lookups import Contains
from django.utils import timezone

from core.links import url_with_pk
from core.prepared import (
    Param,
    Statement,
    column_names,
    compiled_once,
    list_size,
    list_values,
    membership_params,
    param_list,
    params_membership,
    statement,
)
from programmes.due import DueItem, DuePreview, Tally, preview_of, urgency
from programmes.models import Membership, Role

from . import selectors
from .models import REVIEW_INTERVAL, Enrolment

REVIEW_SOON = timedelta(weeks=4)
REVIEW_ROLES = (Role.MANAGER, Role.LECTURER, Role.TRAINEE)


def with_review_base(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``review_base``: the day the next review counts from (the last review, or the
    later of cohort start and enrolment); it is due REVIEW_INTERVAL after. Needs
    ``last_review_on`` (selectors.with_progress_figures, with_last_review or with_kept_figures)."""
    return enrolments.annotate(review_base=Coalesce(
        F("last_review_on"), Greatest(F("cohort__starts_on"), F("enrolled_on"))
    ))


def review_due_by(today: date) -> date:
    """The latest review base (see with_review_base) whose review is due within REVIEW_SOON
    or overdue: the base is compared with today shifted back by the interval, so ordering by
    the base orders by the due date."""
    return today + REVIEW_SOON - REVIEW_INTERVAL


def review_overdue_before(today: date) -> date:
    """A review base before this day means the review is overdue."""
    return today - REVIEW_INTERVAL


# _open_query's number of cohort ids for a statement that reads the visible cohorts' ids itself
# (selectors.enrolments_visible_in_statement), rather than Params cohort0...
READ_IN_STATEMENT = 0


def _visible_open(membership, cohorts: int) -> QuerySet[Enrolment]:
    """The open enrolments of ``membership`` (a ParamsMembership) on ``cohorts`` cohort id
    Params, or on the cohorts it sees (READ_IN_STATEMENT), nothing annotated or joined yet."""
    if cohorts == READ_IN_STATEMENT:
        enrolments = selectors.enrolments_visible_in_statement(membership=membership)
    else:
        enrolments = selectors.enrolments_visible_to(membership=membership, cohort_ids=param_list("cohort", cohorts))
    return enrolments.select_related(None).filter(status__in=selectors.OPEN_STATUSES)


# What every role's items show.
ROW_FIELDS = (
    "pk", "status", "trainee__first_name", "trainee__last_name", "trainee__clinical_area__name",
    "cohort_id", "cohort__name", "cohort__programme__title", "signers",
)
# Those of them an item shows but nothing is decided on, from tables that nothing else needs
# (the trainee's, for a lecturer): _first_due reads them for the rows it keeps only.
SHOWN_ONLY_FIELDS = ("trainee__first_name", "trainee__last_name", "trainee__clinical_area__name", "cohort__name",
                     "cohort__programme__title")


def _kinds(role: str) -> dict[str, str]:
    """The kinds of item the role gets from here, in urgency order (reviews have dates, so they
    come before the undated kinds, which follow in KIND_LABELS order), each with the flag of
    _rows that says a row has one due: the one place each kind's condition is written, read by
    _items_of for the full list and counted by the database for the home page (_first_due)."""
    kinds = {"review": "review_soon"} if role in REVIEW_ROLES else {}
    kinds["contract"] = "unsigned"
    if role == Role.MANAGER:
        kinds["study_time"] = "below_plan"
    return kinds


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _rows(enrolments: QuerySet[Enrolment], role: str, fields: tuple[str, ...] = ROW_FIELDS, *,
          below_plan_column: bool = True) -> QuerySet:
    """What _items_of shows and decides on for this role, a row of values per enrolment: not
    model instances (five an enrolment), nor figures the role's items do not show. The last
    review, the hours taken and who has signed the contract are the figures the database keeps
    (selectors.with_kept_figures: one join, where they were three subqueries a row); the review
    base is worked out once a row, the study time's planned hours as
    selectors.planned_hours_to_date works them out. Each kind's flag (_kinds) is the database's:

    - ``review_soon``: active, with a review due within REVIEW_SOON or overdue (its base on or
      before Param "review_due_by", review_due_by(today));
    - ``unsigned``: the role's party has yet to sign the contract (not among the signers);
    - ``below_plan``: active and below plan (Progress.below_plan, as selectors.below_plan_q
      decides it; Param "today"), for line managers. Without ``below_plan_column``, left to the
      caller's SQL (selectors.below_plan_sql) on the planned hours and hours taken read.
    """
    rows = selectors.with_kept_figures(enrolments)
    fields = list(fields)
    flags = {}
    if role in REVIEW_ROLES:
        rows = with_review_base(rows)
        fields.append("review_base")
        flags["review_soon"] = _flag(Q(
            status=Enrolment.Status.ACTIVE, review_base__lte=Param("review_due_by", DateField()),
        ))
    # signers joins the parties by commas (selectors.signers_of): the party is one of them when
    # ",party," is in ",signers," (nobody has signed: ",,").
    signers = Concat(Value(","), F("signers"), Value(","), output_field=CharField())
    flags["unsigned"] = _flag(~Q(Contains(signers, f",{selectors.PARTY_OF_ROLE[role]},")))
    if role == Role.MANAGER:
        rows = selectors.with_planned_hours(rows, Param("today", DateField()))
        if below_plan_column:
            flags["below_plan"] = _flag(selectors.below_plan_q())
        fields += ["planned_hours", "hours_taken"]
    return rows.annotate(**flags).values(*fields, *flags)


def _items_of(row: dict, role: str, today: date) -> list[DueItem]:
    """From a row of _rows for the role: costs no query."""
    url = url_with_pk("trainees:enrolment_detail", row["pk"], kwarg="pk")
    own = role == Role.TRAINEE
    name = f"{row['trainee__first_name']} {row['trainee__last_name']}".strip()  # Trainee.full_name
    where = f"{row['cohort__programme__title']}: {row['cohort__name']}"
    place = {"cohort": where, "ward": row["trainee__clinical_area__name"] or ""}

    items = []
    if row.get("review_soon"):  # due REVIEW_INTERVAL after the base (selectors.next_review_due)
        due = row["review_base"] + REVIEW_INTERVAL
        overdue = "Overdue: reviews are due at least every 12 weeks. "
        items.append(DueItem(
            title="Your progress review" if own else f"Progress review with {name}",
            url=url, due=due, detail=(overdue if due < today else "") + where,
            kind="review", **place,
        ))
    if row["unsigned"]:
        items.append(DueItem(
            title="Sign your learning contract" if own else f"Sign {name}'s learning contract",
            url=f"{url}#contract",
            detail=(
                f"{len(selectors.signers_of(row['signers']))} of {selectors.PARTY_COUNT} have signed. {where}"
            ),
            kind="contract", **place,
        ))
    if row.get("below_plan"):
        study = selectors.StudyTime(planned=row["planned_hours"], taken=row["hours_taken"], lost=None)
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


def due_for(membership: Membership | None) -> list[DueItem]:
    """Every item, enrolment by enrolment in pk order (so each kind is in preview_for's order).
    Two queries (open_rows)."""
    if selectors.party_of(membership) is None:  # training leads and planners sign nothing and hold no reviews
        return []
    role, today = membership.role, timezone.localdate()
    rows = sorted(open_rows(membership), key=itemgetter("pk"))
    return [item for row in rows for item in _items_of(row, role, today)]


def _statement_values(membership: Membership, cohort_ids: list[int] | None, size: int, today: date) -> dict:
    """The values of _open_rows' and _first_due's Params (each takes those it has); no cohort
    ids for a statement that reads them (READ_IN_STATEMENT)."""
    return {
        **membership_params(membership), **(list_values("cohort", cohort_ids, size) if cohort_ids else {}),
        "today": today, "review_due_by": review_due_by(today), "review_overdue_before": review_overdue_before(today),
    }


def open_rows(membership: Membership, cohort_ids: list[int] | None = None) -> list[dict]:
    """A row for each of the person's open enrolments, with what their items show and are
    decided on (see _rows), for due_for. Two queries (the visible cohort ids, the rows); one
    when given the ids."""
    if selectors.party_of(membership) is None:
        return []
    if cohort_ids is None:
        cohort_ids = selectors.visible_cohort_ids(membership=membership)
    if not cohort_ids:
        return []
    size = list_size(cohort_ids)
    return _open_rows(membership.role, size).rows(
        **_statement_values(membership, cohort_ids, size, timezone.localdate())
    )


def _open_query(role: str, cohorts: int, fields: tuple[str, ...] = ROW_FIELDS, *,
                below_plan_column: bool = True) -> QuerySet:
    """_rows of a role's open enrolments on cohort ids Params cohort0... (or READ_IN_STATEMENT);
    the person's ids are Params user_id, organisation_id (core.prepared)."""
    return _rows(_visible_open(params_membership(role), cohorts), role, fields,
                 below_plan_column=below_plan_column).order_by()


@compiled_once
def _open_rows(role: str, cohorts: int) -> QuerySet:
    """open_rows' statement for a role and a number of cohort ids (core.prepared: compiled once).
    Params: user_id, organisation_id, cohort0..., today, review_due_by."""
    return _open_query(role, cohorts)


@dataclass(frozen=True)
class CohortDue:
    """What is due in one cohort, for the lecturer's table of the cohorts they teach."""

    in_training: int = 0  # active enrolments
    reviews_due: int = 0
    reviews_overdue: int = 0
    contracts_to_sign: int = 0  # open enrolments whose contract waits for the lecturer


# What _first_due works out besides _rows' columns: each kind's count (and the reviews overdue)
# over all the rows; with by_cohort, each cohort's figures (CohortDue's, in its order).
_COHORT_FIGURES = ("cohort_in_training", "cohort_reviews_due", "cohort_reviews_overdue", "cohort_contracts")


@compiled_once
def _first_due(role: str, cohorts: int, n: int, by_cohort: bool) -> Statement:
    """preview_for's statement: the rows of _open_query that hold the first ``n`` items, each
    with how many of each kind are due (and reviews overdue), so that the counts and the items
    shown cost one round trip and the rows not shown never leave the database (a line
    manager's 192 rows, read and counted in Python, were most of their home page's own time).
    Params: those of _open_rows, and review_overdue_before.

    The first n items are each kind's first in its order (reviews by base then pk, the others
    by pk), as many as the kinds before it leave room for: a row is kept when, for a kind it
    has due, the items of the kinds before it plus its place among its own kind are at most n.
    With ``by_cohort`` (a lecturer's cohorts) each row carries its cohort's figures, and each
    cohort's first row is kept as well, so that every cohort with an open enrolment has them;
    a row kept for that alone builds items that sort after the first n (see _preview).

    Written around the ORM's rows (core.prepared.statement) rather than with Window
    annotations, so that the windows count the rows' flags: the ORM wrote each flag's
    expression again in every window that reads it (the study time's planned hours, three
    times a row), and that cost the database more than sending every row had. For the same
    reason the rows are a subquery PostgreSQL may not merge into this one (OFFSET 0: merged,
    the flags' expressions were again worked out in each window; SQLite merges no subquery into
    a query with windows), and the study time's flag is decided on the planned hours that
    subquery worked out (selectors.below_plan_sql), not in it, where the ORM's below_plan_q
    worked them out twice more a row (a sixth of a line manager's statement)."""
    study_time = role == Role.MANAGER
    rows = _open_query(role, cohorts, tuple(name for name in ROW_FIELDS if name not in SHOWN_ONLY_FIELDS),
                       below_plan_column=not study_time)
    names = [*column_names(rows.query), *(["below_plan"] if study_time else [])]
    # The texts only shown, joined to the rows kept (already scoped) by their pk: the joins that
    # read them for every row cost more than the windows (a lecturer's every trainee).
    shown = Enrolment.objects.order_by().values("pk", *SHOWN_ONLY_FIELDS)
    windows, kept, before, counts = [], [], [], []
    for kind, flag in _kinds(role).items():
        windows.append(f"COUNT(*) FILTER (WHERE r.{flag}) OVER () AS {kind}_count")
        counts += [f"{kind}_count", *(["review_overdue"] if kind == "review" else [])]
        if kind == "review":
            windows += [
                f"COUNT(*) FILTER (WHERE r.{flag} AND r.review_base < %(review_overdue_before)s) OVER ()"
                " AS review_overdue",
                f"ROW_NUMBER() OVER (PARTITION BY r.{flag} ORDER BY r.review_base, r.pk) AS {kind}_place",
            ]
        else:  # how many of the kind up to this row in pk order: its place, when it has one
            windows.append(f"COUNT(*) FILTER (WHERE r.{flag}) OVER (ORDER BY r.pk) AS {kind}_place")
        kept.append(f"(w.{flag} AND {' + '.join([*before, f'w.{kind}_place'])} <= {int(n)})")
        before.append(f"w.{kind}_count")
    figures = []
    if by_cohort:
        windows += [
            f"COUNT(*) FILTER (WHERE r.status = '{Enrolment.Status.ACTIVE.value}') OVER cohort AS cohort_in_training",
            "COUNT(*) FILTER (WHERE r.review_soon) OVER cohort AS cohort_reviews_due",
            "COUNT(*) FILTER (WHERE r.review_soon AND r.review_base < %(review_overdue_before)s) OVER cohort"
            " AS cohort_reviews_overdue",
            "COUNT(*) FILTER (WHERE r.unsigned) OVER cohort AS cohort_contracts",
            "MIN(r.pk) OVER cohort AS cohort_first",  # the same window as the figures: no sort of its own
        ]
        kept.append("w.pk = w.cohort_first")
        figures = list(_COHORT_FIGURES)
    selected = [*(f"w.{name}" for name in names), *(f"s.{name}" for name in SHOWN_ONLY_FIELDS),
                *(f"w.{name}" for name in [*counts, *figures])]
    fence = " OFFSET 0" if connections[rows.db].vendor == "postgresql" else ""  # SQLite merges none here
    read = f"({{rows}}{fence})"
    if study_time:
        read = f"(SELECT f.*, ({selectors.below_plan_sql('f')}) AS below_plan FROM {read} f)"  # noqa: S608  # nosec B608
    return statement(
        f"SELECT {', '.join(selected)} FROM ("  # noqa: S608  # nosec B608 (names of ours; every value a parameter)
        f"SELECT r.*, {', '.join(windows)} FROM {read} r"
        + (" WINDOW cohort AS (PARTITION BY r.cohort_id)" if by_cohort else "")
        + f") w INNER JOIN ({{shown}}) s ON s.pk = w.pk WHERE {' OR '.join(kept)}",
        tuple(name.partition(".")[2] for name in selected), converted_from="rows", rows=rows, shown=shown,
    )


def preview_for(membership: Membership | None, n: int) -> DuePreview:
    """due_for's counts per kind and its first ``n`` items, without building the others. One
    query: the rows of the first items with the counts (_first_due), which reads the visible
    cohorts' ids itself (READ_IN_STATEMENT). The kinds' conditions are _items_of's (_rows' flags)."""
    if selectors.party_of(membership) is None:
        return DuePreview()
    if membership.role == Role.TRAINEE:  # their own enrolments: a full list costs less than counting
        return preview_of(due_for(membership))
    return _preview(membership, n, None)[0]


def teaching_preview(membership: Membership, n: int, cohort_ids: list[int]) -> tuple[DuePreview, dict[int, CohortDue]]:
    """A lecturer's preview_for on the cohorts they teach (``cohort_ids``: every cohort they see,
    read already), and what is due in each of them (by cohort id; none for a cohort with no open
    enrolment): the reviews due (the review kind's condition) and the contracts the lecturer has
    yet to sign. One query, none without cohorts."""
    return _preview(membership, n, cohort_ids, by_cohort=True)


def _preview(membership: Membership, n: int, cohort_ids: list[int] | None, *,
             by_cohort: bool = False) -> tuple[DuePreview, dict[int, CohortDue]]:
    """On ``cohort_ids``, or (None) on every cohort the person sees, read by the statement."""
    if cohort_ids is not None and not cohort_ids:
        return DuePreview(), {}
    role, today = membership.role, timezone.localdate()
    size = READ_IN_STATEMENT if cohort_ids is None else list_size(cohort_ids)
    rows = _first_due(role, size, n, by_cohort).rows(**_statement_values(membership, cohort_ids, size, today))
    kinds = _kinds(role)
    tallies = {
        kind: Tally(rows[0][f"{kind}_count"], rows[0]["review_overdue"] if kind == "review" else 0)
        if rows else Tally(0) for kind in kinds
    }
    figures = {
        row["cohort_id"]: CohortDue(*(row[name] for name in _COHORT_FIGURES)) for row in rows
    } if by_cohort else {}
    # In pk order, as due_for builds them, then sorted the same stable way: the first n of these
    # are due_for's first n (the other rows' items are due_for's too, and sort after them).
    chosen = sorted(rows, key=itemgetter("pk"))
    items = sorted((item for row in chosen for item in _items_of(row, role, today)), key=urgency)[:n]
    return DuePreview(tallies=tallies, most_urgent=items), figures
