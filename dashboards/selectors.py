"""What the role home pages gather from the floors below, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from core.prepared import Param, Read, compiled_once, membership_params, params_membership, read
from programmes.due import DuePreview
from programmes.models import Cohort, Membership, Organisation, Programme, Role
from programmes.selectors import cohort_of_row, cohorts_visible_to
from trainees import due as trainee_due
from trainees.models import Trainee

from .due import SHOWN_ON_HOME


@dataclass(frozen=True)
class Teaching:
    """A lecturer's home page: the cohorts they teach, and the preview of what is due for them
    on those cohorts (trainees.due.teaching_preview), read with the cohorts' figures."""

    cohorts: list[Cohort]
    trainee_preview: DuePreview


def lecturer_teaching(*, membership: Membership, shown: int = SHOWN_ON_HOME) -> Teaching:
    """The cohorts the lecturer teaches, newest first, each with what is due in it for them
    (trainees.due.teaching_preview: trainees in training, progress reviews due soon or overdue,
    learning contracts waiting for a lecturer's signature). Two queries: the cohorts (only the
    columns the page shows), and the statement that counts and picks the first ``shown`` of
    what is due on them for the home page's list, which counts each cohort's figures too."""
    taught = _taught_cohorts().rows(**membership_params(membership))
    cohorts = [cohort_of_row(row, TAUGHT_COHORT_FIELDS) for row in taught]
    preview, figures = trainee_due.teaching_preview(membership, shown, [cohort.pk for cohort in cohorts])
    for cohort in cohorts:
        due = figures.get(cohort.pk, trainee_due.CohortDue())
        cohort.in_training, cohort.reviews_due = due.in_training, due.reviews_due
        cohort.reviews_overdue, cohort.contracts_to_sign = due.reviews_overdue, due.contracts_to_sign
    return Teaching(cohorts, preview)


# What the lecturer's table shows of each cohort: {model: {its field: the row's name}}.
TAUGHT_COHORT_FIELDS = {
    Cohort: {"id": "pk", "programme_id": "programme_id", "name": "name", "starts_on": "starts_on",
             "ends_on": "ends_on"},
    Programme: {"id": "programme_id", "organisation_id": "programme__organisation_id", "title": "programme__title"},
    Organisation: {"id": "programme__organisation_id", "name": "programme__organisation__name"},
}


@compiled_once
def _taught_cohorts():
    """The cohorts a lecturer teaches (cohorts_visible_to; Params user_id, organisation_id),
    newest first. Compiled once (core.prepared): the lecturer's home page runs it every visit."""
    names = [name for fields in TAUGHT_COHORT_FIELDS.values() for name in fields.values()]
    return (
        cohorts_visible_to(membership=params_membership(Role.LECTURER)).select_related(None)
        .order_by("-starts_on", "pk").values(*dict.fromkeys(names))
    )


def manager_wards(*, membership: Membership) -> list[dict]:
    """The wards of the trainees the manager line-manages, with how many trainees on each.
    One query, compiled once (core.prepared)."""
    return read(manager_wards_read(membership=membership))


def manager_wards_read(*, membership: Membership) -> Read:
    """manager_wards' statement, values and rows made its result (for read_together)."""
    return Read(_manager_wards(), membership_params(membership), _wards_of_rows)


def _wards_of_rows(rows: list[dict]) -> list[dict]:
    return [{"name": row["clinical_area__name"] or "No ward recorded", "trainees": row["trainees"]} for row in rows]


@compiled_once
def _manager_wards():
    return (
        Trainee.objects.filter(organisation_id=Param("organisation_id"), line_manager_id=Param("user_id"))
        .values("clinical_area_id", "clinical_area__name")
        .annotate(trainees=Count("pk"))
        .order_by("clinical_area__name")
    )
