"""Parsed rows + a cohort -> what the import would do for each row, or every reason it cannot.

:func:`plan_enrolment_import` costs three queries whatever the number of rows: the matching
trainees of the organisation (with whether each is already on the cohort), the organisation's
people with their roles, and its wards; a fourth when the file names trainees already in Ladder
(their enrolments on other cohorts, to warn of those still active there). Everything else is
checked in memory. It changes
nothing, so the preview and the import itself (which re-checks, because the data may have
changed since the preview) both call it.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format

from programmes.models import ClinicalArea, Cohort, Membership, Role

from ..models import AgendaForChangeBand, Enrolment, Trainee, enrolment_date_problem
from ..selectors import describe_enrolments, enrolments_active_elsewhere
from .parsing import COLUMNS, ParsedRow, RowError

MANAGER_ROLES = (Role.MANAGER, Role.TRAINING_LEAD)
MENTOR_ROLES = (Role.MENTOR,)
MAX_LENGTHS = {column.name: column.max_length for column in COLUMNS if column.max_length}
STATUSES = {"active": Enrolment.Status.ACTIVE, "applied": Enrolment.Status.APPLIED}


@dataclass
class PlannedRow:
    """One row that passed every check, and what importing it will do."""

    line: int
    employee_number: str
    existing: Trainee | None  # enrol this trainee; None: create a new one from the fields
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    band: str = ""
    job_title: str = ""
    ward: ClinicalArea | None = None
    new_ward: str = ""  # a ward to create (when the uploader allowed it)
    line_manager: object = None
    mentor: object = None
    enrolled_on: date | None = None
    status: str = Enrolment.Status.ACTIVE
    notes: list[str] = field(default_factory=list)
    # What the lead should know before importing, which does not stop the import.
    warnings: list[str] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def name(self) -> str:
        if self.existing is not None:
            return self.existing.full_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def ward_name(self) -> str:
        if self.existing is not None:
            return ""
        return self.ward.name if self.ward else self.new_ward


@dataclass
class Plan:
    rows: list[PlannedRow]
    errors: list[RowError]
    new_wards: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.is_new)

    @property
    def existing_count(self) -> int:
        return len(self.rows) - self.new_count

    @property
    def warning_count(self) -> int:
        return sum(1 for row in self.rows if row.warnings)

    def summary(self) -> dict:
        return {
            "new": self.new_count, "existing": self.existing_count, "new_wards": self.new_wards,
            # New trainees with an email are invited to Ladder when the import commits.
            "invites": sum(1 for row in self.rows if row.is_new and row.email),
        }


def plan_enrolment_import(
    *, rows: list[ParsedRow], cohort: Cohort, create_wards: bool = False, today: date | None = None
) -> Plan:
    """Check every row against the cohort's organisation. Three or four queries; changes nothing."""
    today = today or timezone.localdate()
    organisation = cohort.programme.organisation
    lookup = _Lookup.load(rows=rows, cohort=cohort)
    errors: list[RowError] = []
    planned: list[PlannedRow] = []
    first_line: dict[str, int] = {}
    new_wards: dict[str, str] = {}  # normalised -> as first written

    for row in rows:
        problems: list[str] = []
        problem = problems.append

        for name, limit in MAX_LENGTHS.items():
            if len(row[name]) > limit:
                problem(
                    f"{_label(name)} is {len(row[name])} characters long; the most allowed is "
                    f"{limit}."
                )

        number = row["employee_number"]
        if not number:
            problem("The employee number is missing.")
        elif number in first_line:
            problem(
                f"Employee number {number} is also on line {first_line[number]}: each person can "
                "be in the file only once."
            )
        else:
            first_line[number] = row.line

        existing = lookup.trainees.get(number) if number else None
        plan = PlannedRow(line=row.line, employee_number=number, existing=existing)
        if existing is not None:
            if existing.on_cohort:
                problem(f"{existing.full_name} ({number}) is already enrolled on this cohort.")
            named = f"{row['first_name']} {row['last_name']}".strip()
            if named and named.casefold() != existing.full_name.casefold():
                plan.notes.append(
                    f"The file says “{named}”; Ladder's record says "
                    f"“{existing.full_name}”. The record is not changed."
                )
            if elsewhere := lookup.elsewhere.get(existing.pk):
                # As the enrol form asks before enrolling someone on two programmes at once.
                plan.warnings.append(
                    f"{existing.full_name} is already on another programme: "
                    f"{describe_enrolments(elsewhere)}. Importing enrols them on this cohort as well."
                )
        else:
            _check_new_trainee(
                row, plan, lookup, create_wards, new_wards, problem, organisation.name
            )

        _check_enrolment(row, plan, cohort, today, problem)

        if problems:
            errors.extend(RowError(row.line, message) for message in problems)
        else:
            planned.append(plan)

    if errors:
        return Plan(rows=[], errors=errors, new_wards=[])
    return Plan(rows=planned, errors=[], new_wards=list(new_wards.values()))


def _check_new_trainee(row, plan, lookup, create_wards, new_wards, problem, org_name) -> None:
    plan.first_name, plan.last_name = row["first_name"], row["last_name"]
    if not plan.first_name:
        problem("The first name is missing (it is needed for a new trainee).")
    if not plan.last_name:
        problem("The last name is missing (it is needed for a new trainee).")

    plan.email = row["email"]
    if plan.email:
        try:
            validate_email(plan.email)
        except ValidationError:
            problem(f"“{plan.email}” is not an email address.")

    plan.job_title = row["job_title"]
    band = row["band"]
    if band:
        plan.band = _band(band)
        if not plan.band:
            problem(
                f"“{band}” is not an Agenda for Change band: use a number from 1 to 7, “other”, "
                "or leave it blank."
            )

    ward = row["ward"]
    if ward:
        key = _normalise(ward)
        plan.ward = lookup.wards.get(key)
        if plan.ward is None:
            if create_wards:
                plan.new_ward = new_wards.setdefault(key, " ".join(ward.split()))
            else:
                close = difflib.get_close_matches(key, lookup.wards, n=1, cutoff=0.75)
                hint = f" Did you mean “{lookup.wards[close[0]].name}”?" if close else ""
                problem(
                    f"{org_name} has no ward or clinical area called “{ward}”.{hint} "
                    "To add new wards, tick “Create wards that do not exist yet” when uploading."
                )

    for column, roles, what in (
        ("line_manager", MANAGER_ROLES, "a line manager or training lead"),
        ("mentor", MENTOR_ROLES, "a mentor"),
    ):
        value = row[column]
        if not value:
            continue
        user, message = lookup.person(value, roles, what, org_name)
        if message:
            problem(message)
        setattr(plan, column, user)


def _check_enrolment(row, plan, cohort: Cohort, today: date, problem) -> None:
    status = row["status"]
    if status:
        plan.status = STATUSES.get(status.casefold(), "")
        if not plan.status:
            problem(
                f"“{status}” is not a status a new enrolment can have: use “active” or “applied” "
                "(blank means active)."
            )

    value = row["enrolled_on"]
    starts, ends = cohort.starts_on, cohort.ends_on
    if value:
        plan.enrolled_on = _date(value)
        if plan.enrolled_on is None:
            problem(
                f"“{value}” is not a date Ladder can read: write it as YYYY-MM-DD or DD/MM/YYYY, "
                "for example 2026-01-05 or 05/01/2026."
            )
            return
    else:
        # What enrolment_create does when given no date; worked out here for the preview.
        plan.enrolled_on = max(starts, today)
    if not value and plan.enrolled_on > ends:
        problem(
            f"The cohort ended on {_show(ends)}: give the date this trainee joined it in the "
            "enrolled_on column."
        )
    elif reason := enrolment_date_problem(plan.enrolled_on, cohort):
        problem(reason)


# --- Lookups -----------------------------------------------------------------------------------


@dataclass
class _Lookup:
    trainees: dict[str, Trainee]
    wards: dict[str, ClinicalArea]
    people: dict[str, list]  # casefolded username or email -> users
    roles: dict[int, set[str]]  # user id -> roles in the organisation
    elsewhere: dict[int, list[Enrolment]]  # trainee id -> active or paused on another cohort

    @classmethod
    def load(cls, *, rows: list[ParsedRow], cohort: Cohort) -> _Lookup:
        org_id = cohort.programme.organisation_id
        numbers = {row["employee_number"] for row in rows if row["employee_number"]}
        trainees = {}
        if numbers:
            on_cohort = Enrolment.objects.filter(cohort=cohort, trainee=OuterRef("pk"))
            trainees = {
                t.employee_number: t
                for t in Trainee.objects.filter(
                    organisation_id=org_id, employee_number__in=numbers
                ).annotate(on_cohort=Exists(on_cohort))
            }
        wards = {_normalise(a.name): a for a in ClinicalArea.objects.filter(organisation_id=org_id)}
        people: dict[str, list] = defaultdict(list)
        roles: dict[int, set[str]] = defaultdict(set)
        for membership in (
            Membership.objects.active().filter(organisation_id=org_id).select_related("user")
        ):
            user = membership.user
            if user.pk not in roles:
                people[user.get_username().casefold()].append(user)
                if user.email and user.email.casefold() != user.get_username().casefold():
                    people[user.email.casefold()].append(user)
            roles[user.pk].add(membership.role)
        joining = [t.pk for t in trainees.values() if not t.on_cohort]
        elsewhere = enrolments_active_elsewhere(trainee_ids=joining, cohort=cohort) if joining else {}
        return cls(trainees=trainees, wards=wards, people=dict(people), roles=dict(roles), elsewhere=elsewhere)

    def person(self, value: str, roles, what: str, org_name: str):
        """(user, None) or (None, the reason)."""
        found = self.people.get(value.casefold(), [])
        if not found:
            return None, f"No one in {org_name} has the username or email “{value}”."
        if len(found) > 1:
            return (
                None,
                f"More than one person in {org_name} has the email “{value}”: use their username "
                "instead.",
            )
        user = found[0]
        if not self.roles.get(user.pk, set()) & set(roles):
            name = user.get_full_name() or user.get_username()
            return None, f"“{value}” ({name}) is not {what} in {org_name}."
        return user, None


# --- Small parsers ----------------------------------------------------------------------------


def _normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


_BANDS = frozenset(AgendaForChangeBand.values)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _band(value: str) -> str:
    value = re.sub(r"^band\s*", "", value.strip().casefold())
    if value in ("other", "not on agenda for change"):
        return AgendaForChangeBand.NOT_AFC
    return value if value in _BANDS else ""


def _date(value: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (never MM/DD: a UK service reads 05/01 as 5 January)."""
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := _UK_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _show(day: date) -> str:
    return date_format(day, "j F Y")


def _label(name: str) -> str:
    return {"employee_number": "The employee number"}.get(name, f"The {name.replace('_', ' ')}")
