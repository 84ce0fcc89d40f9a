"""The ward week: a manager logs protected study time for all their trainees, Monday to
Friday, in one save. Reads and the write for this page live together here (a small module
beside selectors.py and services.py, which it uses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from programmes.models import Membership

from . import services
from .models import Enrolment, StudySession

DAYS = 5  # Monday to Friday: protected study time is given on working days
LOST = StudySession.LostReason
# One choice per cell: nothing, taken, or lost with its reason.
CHOICES = [("", "Not logged"), ("taken", "Taken")] + [
    (f"lost:{value}", f"Lost: {label.lower().removesuffix(' on the ward')}")
    for value, label in LOST.choices
]
MIN_HOURS, MAX_HOURS = Decimal("0.5"), Decimal(24)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(raw: str | None) -> date:
    """The Monday of the week asked for (?week=2026-11-30), or of this week."""
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        day = timezone.localdate()
    return week_of(min(day, timezone.localdate()))


def week_enrolments(*, membership: Membership, monday: date) -> QuerySet[Enrolment]:
    """Active enrolments of the trainees the manager line-manages in their organisation, with
    trainee and ward, and the study sessions of that week. Two queries."""
    sessions = StudySession.objects.filter(date__gte=monday, date__lt=monday + timedelta(days=DAYS))
    return (
        Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE,
            trainee__organisation_id=membership.organisation_id,
            trainee__line_manager_id=membership.user_id,
        )
        .select_related("trainee", "trainee__clinical_area", "cohort")
        .prefetch_related(Prefetch("study_sessions", queryset=sessions.order_by("date", "pk"),
                                   to_attr="week_sessions"))
        .order_by("trainee__clinical_area__name", "trainee__last_name", "trainee__first_name", "pk")
    )


@dataclass
class Cell:
    name: str  # the form field prefix: s-<enrolment>-<day index>
    day: date
    hours: str = ""
    choice: str = ""
    error: str = ""
    logged: list = field(default_factory=list)  # sessions already recorded that day
    open: bool = True  # within the enrolment and not in the future


@dataclass
class Row:
    enrolment: Enrolment
    cells: list[Cell]


def build_rows(enrolments, monday: date, data=None) -> list[Row]:
    today = timezone.localdate()
    rows = []
    for enrolment in enrolments:
        cells = []
        for index in range(DAYS):
            day = monday + timedelta(days=index)
            name = f"s-{enrolment.pk}-{index}"
            cell = Cell(name=name, day=day, logged=[s for s in enrolment.week_sessions if s.date == day])
            cell.open = (day <= today and day >= max(enrolment.cohort.starts_on, enrolment.enrolled_on)
                         and day <= enrolment.cohort.ends_on)
            if data is not None:
                cell.hours = (data.get(f"{name}-hours") or "").strip()
                cell.choice = data.get(f"{name}-outcome") or ""
            cells.append(cell)
        rows.append(Row(enrolment=enrolment, cells=cells))
    return rows


def check_rows(rows: list[Row]) -> list[dict]:
    """What to record, from the cells filled in; each cell's problem set on it (NHS.UK words).
    Returns the entries only when every cell is fine."""
    entries, problems = [], False
    valid = {value for value, _ in CHOICES}
    for row in rows:
        name = row.enrolment.trainee.full_name
        for cell in row.cells:
            if not cell.hours and not cell.choice:
                continue
            when = f"{name}, {cell.day:%A}"
            if not cell.open:
                cell.error = f"{when}: no study time can be logged on this day"
            elif cell.choice not in valid or not cell.choice:
                cell.error = f"{when}: select taken or lost"
            else:
                try:
                    hours = Decimal(cell.hours)
                except InvalidOperation:
                    hours = None
                if hours is None or not hours.is_finite():
                    cell.error = f"{when}: enter the hours, like 3.5"
                elif not MIN_HOURS <= hours <= MAX_HOURS:
                    cell.error = f"{when}: hours must be between 0.5 and 24"
                elif hours * 2 != int(hours * 2):
                    cell.error = f"{when}: hours must be in whole or half hours, like 3.5"
                else:
                    outcome, _, reason = cell.choice.partition(":")
                    entries.append({"enrolment": row.enrolment, "date": cell.day, "hours": hours,
                                    "outcome": outcome, "lost_reason": reason})
            problems = problems or bool(cell.error)
    return [] if problems else entries


@transaction.atomic
def study_week_record(*, actor, entries: list[dict]) -> list[StudySession]:
    """Record a week of sessions for several trainees: all of them or, if any is refused, none
    (the transaction rolls back and the ValidationError names the trainee and day)."""
    recorded = []
    for entry in entries:
        try:
            recorded.append(services.study_session_record(actor=actor, **entry))
        except ValidationError as error:
            who = f"{entry['enrolment'].trainee.full_name}, {entry['date']:%A %-d %B}"
            raise ValidationError(f"{who}: {' '.join(error.messages)}") from error
    return recorded
