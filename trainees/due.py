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
``n``. Both cost a fixed number of queries whatever the number of trainees (figures and
signatures are annotated).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from django.db.models import BooleanField, DateField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from core.links import url_with_pk
from core.prepared import Param, compiled_once, list_size, list_values, membership_params, param_list, params_membership
from programmes.due import DueItem, DuePreview, Tally, preview_of, urgency
from programmes.models import Membership, Role

from . import selectors
from .models import REVIEW_INTERVAL, Enrolment, LearningContract

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


def _visible_open(membership: Membership, cohort_ids: list[int] | None = None) -> QuerySet[Enrolment]:
    """The person's open enrolments, nothing annotated or joined yet. Costs one query when
    called (the visible cohort ids), none when given them (see selectors.enrolments_visible_to)."""
    return selectors.enrolments_visible_to(membership=membership, cohort_ids=cohort_ids).select_related(None).filter(
        status__in=selectors.OPEN_STATUSES
    )


# What every role's items show.
ROW_FIELDS = (
    "pk", "status", "trainee__first_name", "trainee__last_name", "trainee__clinical_area__name",
    "cohort_id", "cohort__name", "cohort__programme__title", "signers",
)


def _rows(enrolments: QuerySet[Enrolment], role: str, today: date | Param) -> QuerySet:
    """What _items_of shows and decides on for this role, a row of values per enrolment: not
    model instances (five an enrolment), nor figures the role's items do not show. The last
    review, the hours taken and who has signed the contract (how many, and whether the person
    has) are the figures the database keeps (selectors.with_kept_figures: one join, where they
    were three subqueries a row); the review base is worked out once a row, the study time's
    planned hours as selectors.planned_hours_to_date works them out."""
    rows = selectors.with_kept_figures(enrolments)
    fields = list(ROW_FIELDS)
    if role in REVIEW_ROLES:
        rows = with_review_base(rows)
        fields.append("review_base")
    if role == Role.MANAGER:
        # Whether below plan, as the database decides it for the lists that filter on it (a
        # Decimal division a row in Python was a third of the manager's preview).
        rows = selectors.with_planned_hours(rows, today).annotate(
            below_plan=ExpressionWrapper(selectors.below_plan_q(), output_field=BooleanField())
        )
        fields += ["planned_hours", "hours_taken", "below_plan"]
    return rows.values(*fields)


def _unsigned(row: dict, party: str) -> bool:
    """Whether the party has yet to sign the contract of a row of _rows."""
    return party not in selectors.signers_of(row["signers"])


def _review_counts(row: dict, due_by: date) -> bool:
    """Whether a row of _rows has a review due within REVIEW_SOON or overdue (_items_of's
    condition, with ``due_by`` = review_due_by(today)), for the counts that build no item."""
    return row["status"] == Enrolment.Status.ACTIVE and row["review_base"] <= due_by


def _review_due(row: dict) -> date | None:
    """selectors.next_review_due, from a row of _rows: REVIEW_INTERVAL after the base, for an
    active enrolment only."""
    if row["status"] != Enrolment.Status.ACTIVE:
        return None
    return row["review_base"] + REVIEW_INTERVAL


def _below_plan(row: dict) -> selectors.StudyTime | None:
    """The study time of a manager's row when it is below plan (Progress.below_plan, as
    selectors.below_plan_q decides it)."""
    if not row["below_plan"]:
        return None
    return selectors.StudyTime(planned=row["planned_hours"], taken=row["hours_taken"], lost=None)


def _items_of(row: dict, role: str, party: str, today: date) -> list[DueItem]:
    """From a row of _rows for the role: costs no query."""
    url = url_with_pk("trainees:enrolment_detail", row["pk"], kwarg="pk")
    own = role == Role.TRAINEE
    name = f"{row['trainee__first_name']} {row['trainee__last_name']}".strip()  # Trainee.full_name
    where = f"{row['cohort__programme__title']}: {row['cohort__name']}"
    place = {"cohort": where, "ward": row["trainee__clinical_area__name"] or ""}

    items = []
    due = _review_due(row) if role in REVIEW_ROLES else None
    if due and due <= today + REVIEW_SOON:
        overdue = "Overdue: reviews are due at least every 12 weeks. "
        items.append(DueItem(
            title="Your progress review" if own else f"Progress review with {name}",
            url=url, due=due, detail=(overdue if due < today else "") + where,
            kind="review", **place,
        ))
    if _unsigned(row, party):
        items.append(DueItem(
            title="Sign your learning contract" if own else f"Sign {name}'s learning contract",
            url=f"{url}#contract",
            detail=(
                f"{len(selectors.signers_of(row['signers']))} of {selectors.PARTY_COUNT} have signed. {where}"
            ),
            kind="contract", **place,
        ))
    study = _below_plan(row) if role == Role.MANAGER else None
    if study:
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
    party = selectors.party_of(membership)
    if party is None:  # training leads and planners sign nothing and hold no reviews
        return []
    role, today = membership.role, timezone.localdate()
    rows = sorted(open_rows(membership), key=itemgetter("pk"))
    return [item for row in rows for item in _items_of(row, role, party, today)]


def open_rows(membership: Membership, cohort_ids: list[int] | None = None) -> list[dict]:
    """A row for each of the person's open enrolments, with what their items show and are
    decided on (see _rows), for preview_for and, on a lecturer's home page, cohort_figures.
    Two queries (the visible cohort ids, the rows); one when given the ids."""
    if selectors.party_of(membership) is None:
        return []
    if cohort_ids is None:
        cohort_ids = selectors.visible_cohort_ids(membership=membership)
    if not cohort_ids:
        return []
    size = list_size(cohort_ids)
    return _open_rows(membership.role, size).rows(
        **membership_params(membership), **list_values("cohort", cohort_ids, size), today=timezone.localdate(),
    )


@compiled_once
def _open_rows(role: str, cohorts: int) -> QuerySet:
    """open_rows' statement for a role and a number of cohort ids (core.prepared: compiled once,
    as every home page but the lead's and planner's runs it on every visit). Params: user_id,
    organisation_id, cohort0..., today."""
    membership = params_membership(role)
    enrolments = _visible_open(membership, param_list("cohort", cohorts))
    return _rows(enrolments, role, Param("today", DateField())).order_by()


@dataclass(frozen=True)
class CohortDue:
    """What is due in one cohort, for the lecturer's table of the cohorts they teach."""

    in_training: int = 0  # active enrolments
    reviews_due: int = 0
    reviews_overdue: int = 0
    contracts_to_sign: int = 0  # open enrolments whose contract waits for the lecturer


def cohort_figures(rows: list[dict], today: date) -> dict[int, CohortDue]:
    """By cohort id, from a lecturer's open_rows: the reviews due (the review kind's
    condition, as preview_for counts them) and the contracts the lecturer has yet to sign.
    Costs no query."""
    due_by, overdue_before = review_due_by(today), review_overdue_before(today)
    counts: dict[int, list[int]] = {}
    for row in rows:
        figures = counts.setdefault(row["cohort_id"], [0, 0, 0, 0])
        if row["status"] == Enrolment.Status.ACTIVE:
            figures[0] += 1
            if _review_counts(row, due_by):
                figures[1] += 1
                figures[2] += row["review_base"] < overdue_before
        figures[3] += _unsigned(row, LearningContract.Party.LECTURER)
    return {cohort_id: CohortDue(*figures) for cohort_id, figures in counts.items()}


def preview_for(membership: Membership | None, n: int, rows: list[dict] | None = None) -> DuePreview:
    """due_for's counts per kind and its first ``n`` items, without building the others. Two
    queries, as due_for: the visible cohort ids, and a row for each open enrolment (open_rows;
    none when given them), counted here and the first of each kind picked, the items built for
    those alone.

    The kinds' conditions are _items_of's."""
    party = selectors.party_of(membership)
    if party is None:
        return DuePreview()
    if membership.role == Role.TRAINEE:  # their own enrolments: a full list costs less than counting
        return preview_of(due_for(membership))
    role, today = membership.role, timezone.localdate()
    # Each kind's condition on a row and its order, in urgency order: reviews have dates, so
    # they come before the undated kinds, which follow in KIND_LABELS order.
    kinds: dict[str, tuple[Callable[[dict], bool], tuple[str, ...]]] = {}
    overdue: dict[str, Callable[[dict], bool]] = {}
    if role in REVIEW_ROLES:
        due_by, overdue_before = review_due_by(today), review_overdue_before(today)
        kinds["review"] = (lambda row: _review_counts(row, due_by), ("review_base", "pk"))
        overdue["review"] = lambda row: row["review_base"] < overdue_before
    kinds["contract"] = (lambda row: _unsigned(row, party), ("pk",))
    if role == Role.MANAGER:
        kinds["study_time"] = (lambda row: _below_plan(row) is not None, ("pk",))

    if rows is None:
        rows = open_rows(membership)
    due = {kind: [row for row in rows if is_due(row)] for kind, (is_due, _) in kinds.items()}

    # The first n items are each kind's first, as many as the kinds before it leave room for.
    firsts, room = set(), n
    for kind, (_, order) in kinds.items():
        take = min(room, len(due[kind]))
        firsts.update(row["pk"] for row in sorted(due[kind], key=itemgetter(*order))[:take])
        room -= take
    chosen = sorted((row for row in rows if row["pk"] in firsts), key=itemgetter("pk"))
    return DuePreview(
        tallies={
            kind: Tally(len(due[kind]), sum(1 for row in due[kind] if kind in overdue and overdue[kind](row)))
            for kind in kinds
        },
        most_urgent=sorted((item for row in chosen for item in _items_of(row, role, party, today)), key=urgency)[:n],
    )
