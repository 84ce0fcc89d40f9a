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
from datetime import date, timedelta
from operator import itemgetter

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from programmes.due import DueItem, DuePreview, Tally, preview_of, urgency
from programmes.models import Membership, Role

from . import selectors
from .models import REVIEW_INTERVAL, Enrolment

REVIEW_SOON = timedelta(weeks=4)
REVIEW_ROLES = (Role.MANAGER, Role.LECTURER, Role.TRAINEE)


def with_review_base(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotates ``review_base``: the day the next review counts from (the last review, or the
    later of cohort start and enrolment); it is due REVIEW_INTERVAL after. Needs
    ``last_review_on`` (selectors.with_progress_figures or selectors.with_last_review)."""
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


def review_due_q(today: date) -> Q:
    """Of with_review_base's enrolments, those with a review due within REVIEW_SOON or overdue
    (_items_of's condition, in SQL)."""
    return Q(status=Enrolment.Status.ACTIVE, review_base__lte=review_due_by(today))


def review_overdue_q(today: date) -> Q:
    return review_due_q(today) & Q(review_base__lt=review_overdue_before(today))


# What _items_of reads (with the figures _with_item_fields annotates).
ITEM_FIELDS = (
    "status", "enrolled_on", "ended_on", "study_hours_per_week", "trainee__first_name", "trainee__last_name",
    "trainee__clinical_area__name", "cohort__name", "cohort__starts_on", "cohort__ends_on",
    "cohort__study_hours_per_week", "cohort__programme__title",
)


def _visible_open(membership: Membership) -> QuerySet[Enrolment]:
    """The person's open enrolments, nothing annotated or joined yet. Costs one query when
    called (the visible cohort ids)."""
    return selectors.enrolments_visible_to(membership=membership).select_related(None).filter(
        status__in=selectors.OPEN_STATUSES
    )


def _with_item_fields(enrolments: QuerySet[Enrolment], role: str, party: str) -> QuerySet[Enrolment]:
    """What _items_of shows and decides on for this role: only that, not the trainees'
    managers and mentors (two user rows each), nor the programme's long texts, nor figures the
    role's items do not show (each is a subquery per row, built and compiled each time)."""
    enrolments = enrolments.select_related("trainee__clinical_area", "cohort__programme").only(*ITEM_FIELDS)
    if role == Role.MANAGER:  # study time below plan: selectors.progress_of's figures
        enrolments = selectors.with_progress_figures(enrolments)
    else:
        enrolments = selectors.with_signature_count(enrolments)
        if role in REVIEW_ROLES:
            enrolments = selectors.with_last_review(enrolments)
    return selectors.with_signed_parties(enrolments, parties=[party])


def _open_enrolments(membership: Membership, party: str) -> QuerySet[Enrolment]:
    """The person's open enrolments with what the items show and are decided on. Costs one
    query when called (the visible cohort ids)."""
    return _with_item_fields(_visible_open(membership), membership.role, party)


def _items_of(enrolment: Enrolment, role: str, party: str, today: date) -> list[DueItem]:
    """From an enrolment of _with_item_fields for the role: costs no query."""
    url = reverse("trainees:enrolment_detail", kwargs={"pk": enrolment.pk})
    own = role == Role.TRAINEE
    name = enrolment.trainee.full_name
    where = f"{enrolment.cohort.programme.title}: {enrolment.cohort.name}"
    area = enrolment.trainee.clinical_area
    place = {"cohort": where, "ward": area.name if area else ""}

    items = []
    due = selectors.next_review_due(enrolment) if role in REVIEW_ROLES else None
    if due and due <= today + REVIEW_SOON:
        overdue = "Overdue: reviews are due at least every 12 weeks. "
        items.append(DueItem(
            title="Your progress review" if own else f"Progress review with {name}",
            url=url, due=due, detail=(overdue if due < today else "") + where,
            kind="review", **place,
        ))
    if not getattr(enrolment, f"signed_{party}"):
        items.append(DueItem(
            title="Sign your learning contract" if own else f"Sign {name}'s learning contract",
            url=f"{url}#contract",
            detail=(
                f"{enrolment.signature_count} of {selectors.PARTY_COUNT} have signed. {where}"
            ),
            kind="contract", **place,
        ))
    progress = selectors.progress_of(enrolment, today) if role == Role.MANAGER else None
    if progress and progress.below_plan:
        study = progress.study
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
    Two queries."""
    party = selectors.party_of(membership)
    if party is None:  # training leads and planners sign nothing and hold no reviews
        return []
    today = timezone.localdate()
    enrolments = _open_enrolments(membership, party).order_by("pk")
    return [item for e in enrolments for item in _items_of(e, membership.role, party, today)]


def preview_for(membership: Membership | None, n: int) -> DuePreview:
    """due_for's counts per kind and its first ``n`` items, without building the others. Three
    queries: the visible cohort ids, what is due on each open enrolment, the enrolments of the
    first items (two when nothing is due; for a trainee, due_for's two).

    The kinds' conditions are _items_of's: reviews compared here with the review base the
    database works out once a row (review_due_by), the others in SQL."""
    party = selectors.party_of(membership)
    if party is None:
        return DuePreview()
    if membership.role == Role.TRAINEE:  # their own enrolments: a full list costs less than counting
        return preview_of(due_for(membership))
    role, today = membership.role, timezone.localdate()
    visible = _visible_open(membership)
    # Each kind's condition on a row and its order, in urgency order: reviews have dates, so
    # they come before the undated kinds, which follow in KIND_LABELS order.
    signed = f"signed_{party}"
    rows = selectors.with_signed_parties(visible, parties=[party])
    fields = ["pk", signed]
    kinds: dict[str, tuple[Callable[[dict], bool], tuple[str, ...]]] = {}
    overdue: dict[str, Callable[[dict], bool]] = {}
    if role in REVIEW_ROLES:
        # The base once a row, compared here: as review_due_q and review_overdue_q, which would
        # have the database work out the last review again for each comparison.
        rows = with_review_base(selectors.with_last_review(rows))
        fields += ["status", "review_base"]
        due_by, overdue_before = review_due_by(today), review_overdue_before(today)
        kinds["review"] = (
            lambda row: row["status"] == Enrolment.Status.ACTIVE and row["review_base"] <= due_by,
            ("review_base", "pk"),
        )
        overdue["review"] = lambda row: row["review_base"] < overdue_before
    kinds["contract"] = (lambda row: not row[signed], ("pk",))
    if role == Role.MANAGER:
        rows = selectors.with_planned_hours(selectors.with_hours_taken(rows), today).annotate(
            below_plan=ExpressionWrapper(selectors.below_plan_q(), output_field=BooleanField())
        )
        fields.append("below_plan")
        kinds["study_time"] = (itemgetter("below_plan"), ("pk",))

    # Which kinds are due on each open enrolment, a few small columns a row: counted here and
    # the first of each kind picked, rather than counting in one query and picking again, with
    # every figure worked out afresh, in another.
    rows = list(rows.order_by().values(*fields))
    due = {kind: [row for row in rows if is_due(row)] for kind, (is_due, _) in kinds.items()}

    # The first n items are each kind's first, as many as the kinds before it leave room for.
    firsts, room = [], n
    for kind, (_, order) in kinds.items():
        take = min(room, len(due[kind]))
        firsts += [row["pk"] for row in sorted(due[kind], key=itemgetter(*order))[:take]]
        room -= take
    items = []
    if firsts:
        chosen = _with_item_fields(visible.filter(pk__in=firsts), role, party).order_by("pk")
        items = sorted((item for e in chosen for item in _items_of(e, role, party, today)), key=urgency)[:n]
    return DuePreview(
        tallies={
            kind: Tally(len(due[kind]), sum(1 for row in due[kind] if kind in overdue and overdue[kind](row)))
            for kind in kinds
        },
        most_urgent=items,
    )
