"""How long competence stays true: the validity period of a sign-off and the status of an
attainment version on a given day. Plain functions, no queries of their own.

The period: the competency's own (``Competency.reassessment_months``), else its framework's
(``Framework.validity_months``), else, for a delegated task, the organisation's default (a
year unless its assessment policy says otherwise); else the sign-off does not expire.
"Expiring" starts ``settings.ATTAINMENT_EXPIRING_DAYS`` (60) days before the last valid day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings


class Status:
    CURRENT = "current"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    BELOW_TARGET = "below_target"
    WITHDRAWN = "withdrawn"

    LABELS = {
        CURRENT: "Signed off",
        EXPIRING: "Expiring",
        EXPIRED: "Expired",
        BELOW_TARGET: "Not yet at target",
        WITHDRAWN: "Withdrawn",
    }
    TAG_COLOURS = {
        CURRENT: "green",
        EXPIRING: "yellow",
        EXPIRED: "red",
        BELOW_TARGET: "orange",
        WITHDRAWN: "grey",
    }
    ALL = (CURRENT, EXPIRING, EXPIRED, BELOW_TARGET, WITHDRAWN)
    # What counts as attained (at whatever level it records): never expired or withdrawn.
    COUNTS = frozenset({CURRENT, EXPIRING, BELOW_TARGET})


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def validity_months(competency, *, delegated_default: int | None = None) -> int | None:
    """The months a sign-off of this competency stays valid, or None (for ever). Reads the
    competency's framework: load it with the competency."""
    if competency.reassessment_months:
        return competency.reassessment_months
    if competency.framework.validity_months:
        return competency.framework.validity_months
    if competency.is_delegated_task:
        from .models import DEFAULT_DELEGATED_TASK_MONTHS

        return delegated_default or DEFAULT_DELEGATED_TASK_MONTHS
    return None


def valid_until_for(competency, decided_on: date, *, delegated_default: int | None = None) -> date | None:
    months = validity_months(competency, delegated_default=delegated_default)
    return add_months(decided_on, months) if months else None


def expiring_window() -> timedelta:
    return timedelta(days=int(getattr(settings, "ATTAINMENT_EXPIRING_DAYS", 60)))


def status_of(
    kind: str,
    valid_until: date | None,
    today: date,
    window: timedelta | None = None,
    level: int | None = None,
    target: int | None = None,
) -> str:
    """The status of a version (an AttainmentDecision's kind, last valid day, level and the
    target when it was decided) on ``today``."""
    if kind == "withdrawn":
        return Status.WITHDRAWN
    if valid_until is not None and valid_until < today:
        return Status.EXPIRED
    if kind == "progress" or (level is not None and target is not None and level < target):
        return Status.BELOW_TARGET
    if valid_until is not None and valid_until - today <= (window if window is not None else expiring_window()):
        return Status.EXPIRING
    return Status.CURRENT
