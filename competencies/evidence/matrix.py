"""The cohort progress matrix as its page shows it (issue 15): a page of trainees, each row's
cells as one short code a cell, the columns as values, the totals over everyone. The page
costs what the base template does a few times over, where model instances and a Cell for each
of 1,500 cells cost seven times.

On PostgreSQL the page's rows come from one statement compiled once (core.prepared): the
page of enrolments (LIMIT and OFFSET bound, the count of everyone with them), and for each the
codes of the trainee's pairs and their latest self-ratings, worked out by the database; here
they are put in the columns' order (a pair not recorded is ``n``) and the targets met counted
from them (_rows). On
any other database (SQLite, the embedded default) the same page comes from
selectors.progress_matrix, its Cells written as the same codes (cell_code): slower, the same
page (tests/evidence/test_matrix_page.py holds the two to each other).

A cell's code: ``n`` nothing recorded, ``w`` withdrawn, ``x`` expired, ``c<level>`` a level
that counts, ``e<level>`` one that counts and is expiring; then ``s<level>`` when the trainee
rated themself (their latest rating). Levels are scale positions (0 the first). A row's codes
are joined by commas.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

from django.core.paginator import Page
from django.db import connection
from django.db.models import Count, F, QuerySet, Window
from django.utils import timezone

from core.pagination import TOTAL, PagedRows, page_fetched
from core.prepared import (
    Param,
    Statement,
    compiled_once,
    instance_of,
    membership_params,
    params_membership,
    statement,
)
from programmes.models import ClinicalArea, Cohort, Membership
from programmes.selectors import ParamsCohort, cohort_seen_by
from trainees.models import Trainee
from trainees.selectors import wards_on_cohort, wards_on_cohort_query

from ..models import AttainmentDecision, Competency, CurrentAttainment, Framework, RoleProfileItem, SelfAssessment
from ..validity import Status, expiring_window
from .selectors import (
    Cell,
    _counted_on,
    _level_name_of,
    _profile_items,
    progress_matrix,
)


class MatrixColumn(NamedTuple):
    competency_id: int
    id_number: str
    name: str  # Competency.name
    framework: str  # str(Framework)
    kind: str  # RoleProfileItem.Kind
    target: int  # the target level's position on the competency's scale
    target_name: str


class MatrixRow(NamedTuple):
    trainee_id: int
    full_name: str
    ward: str | None  # the name of the trainee's clinical area
    met_count: int  # the targets of the columns the trainee meets
    cells: str  # each cell's code (see the module's docstring), in column order, joined by commas


@dataclass
class MatrixPage:
    cohort: Cohort
    columns: list[MatrixColumn]
    rows: list[MatrixRow]  # the trainees of the page asked for
    met_counts: list[int]  # each column's: the trainees on every page who meet its target
    page_obj: Page
    wards: list[ClinicalArea]  # trainees.selectors.wards_on_cohort's, for the filter (id and name)

    @property
    def trainee_count(self) -> int:
        return self.page_obj.paginator.count

    @property
    def competency_count(self) -> int:
        return len(self.columns)


def matrix_page(
    *, cohort: Cohort, membership: Membership, kind: str | None, ward_id: int | None,
    page: int | str | None, per_page: int,
) -> MatrixPage:
    """Page ``page`` of the matrix selectors.progress_matrix describes, as its page shows it: the
    same trainees, cells and totals. ``kind`` a RoleProfileItem.Kind or None, ``ward_id`` a
    ClinicalArea id or None; ``cohort`` from get_cohort_for for ``membership``. With the
    cohort's wards, whatever ``ward_id`` (the filter's choices). One query: the page's rows with
    the count of everyone, the met totals, the columns and the wards (a page number past the
    end costs one or two more, as core.pagination.page_fetched says, and a page without rows
    two for the columns and the wards); on SQLite those of matrix_columns, wards_on_cohort and
    progress_matrix."""
    kind = kind if kind in RoleProfileItem.Kind.values else None
    if connection.vendor != "postgresql" or not cohort_seen_by(cohort, membership):
        columns = matrix_columns(cohort.programme_id, kind)
        return _matrix_page_from_cells(cohort, membership, kind, ward_id, page, per_page, columns)
    today = timezone.localdate()
    values = {
        **membership_params(membership), "cohort_id": cohort.pk, "programme_id": cohort.programme_id,
        "ward": ward_id or 0, "kind": kind or "", "today": today,
        "expiring_until": today + expiring_window(),
    }
    shape = (membership.role, ward_id is not None, kind is not None)

    page_obj = page_fetched(
        PagedRows(lambda offset, limit: _page_rows(*shape).rows(**values, limit=limit, offset=offset)), per_page, page
    )
    found = page_obj.object_list
    # The columns and wards come with the first row; a page without rows (no trainee to show)
    # reads them.
    columns = _columns_from(found[0]["headers"]) if found else matrix_columns(cohort.programme_id, kind)
    wards = _wards_from(found[0]["wards"]) if found else wards_on_cohort(membership=membership, cohort=cohort)
    page_obj.object_list = _rows(found, columns)
    totals = found[0]["met_totals"] if found else None  # each column's, the same in every row
    met_counts = [int(n) for n in totals.split(",")] if columns and totals else [0] * len(columns)
    return MatrixPage(cohort=cohort, columns=columns, rows=list(page_obj.object_list) if columns else [],
                      met_counts=met_counts, page_obj=page_obj, wards=wards)


class _Meets(dict):
    """{code: whether its cell meets ``target``} (cell_of_code), each worked out the first time
    it is asked for: a page has a few distinct codes among its 1,500 cells."""

    def __init__(self, target: int):
        super().__init__()
        self.target = target

    def __missing__(self, code: str) -> bool:
        met = self[code] = cell_of_code(code, self.target)[3]
        return met


def _rows(found: list[dict], columns: list[MatrixColumn]) -> list[MatrixRow]:
    """The page statement's rows as MatrixRows: each trainee's codes (of their pairs, by
    competency id) in the columns' order, ``n`` for a pair with nothing recorded, each followed
    by the trainee's self-rating of the competency; the targets met counted from the codes,
    as a cell drawn from its code says it is met (what the statement counted before, a third of
    its time: a join of each trainee's pairs with the columns and a sort of their cells)."""
    keys = [str(column.competency_id) for column in columns]
    nothing = repeat("n")  # codes.get(key, "n"), called in C
    by_target = {column.target: _Meets(column.target) for column in columns}
    meets = [by_target[column.target] for column in columns]
    rows = []
    for r in found:
        codes = dict(zip(r["competencies"].split(","), r["codes"].split(","), strict=True)) if r["codes"] else {}
        for rating in r["rated"].split(",") if r["rated"] else ():
            competency, level = rating.split(":")
            codes[competency] = f"{codes.get(competency, 'n')}s{level}"
        cells = list(map(codes.get, keys, nothing))
        rows.append(MatrixRow(
            r["person"], Trainee.name_of(r["first"], r["last"]), r["ward"],
            sum(map(dict.__getitem__, meets, cells)), ",".join(cells),
        ))
    return rows


def _matrix_page_from_cells(
    cohort, membership, kind, ward_id, page, per_page, columns: list[MatrixColumn]
) -> MatrixPage:
    """matrix_page on a database without the page's statement: from progress_matrix's Cells."""
    matrix = progress_matrix(
        cohort=cohort, membership=membership, kind=kind, ward=ward_id, page=page, per_page=per_page,
    )
    rows = [
        MatrixRow(
            row.trainee.pk, row.trainee.full_name,
            row.trainee.clinical_area.name if row.trainee.clinical_area else None,
            row.met_count, ",".join(cell_code(cell) for cell in row.cells),
        )
        for row in matrix.rows
    ]
    return MatrixPage(cohort=cohort, columns=columns, rows=rows if columns else [],
                      met_counts=[column.met_count for column in matrix.columns], page_obj=matrix.page_obj,
                      wards=wards_on_cohort(membership=membership, cohort=cohort))


def cell_code(cell: Cell) -> str:
    """A Cell's code (see the module's docstring): what the page's statement writes for it."""
    if cell.status == Status.WITHDRAWN:
        code = "w"
    elif cell.status == Status.EXPIRED:
        code = "x"
    elif cell.reached is None:
        code = "n"
    else:
        code = f"{'e' if cell.status == Status.EXPIRING else 'c'}{cell.reached}"
    return code if cell.self_rated is None else f"{code}s{cell.self_rated}"


# A code's first letter: the cell's status as a Cell has it (counted levels other than
# expiring are all drawn alike, so "c" stands for them all).
_CODE_STATUS = {"n": "", "w": Status.WITHDRAWN, "x": Status.EXPIRED, "e": Status.EXPIRING, "c": Status.CURRENT}


def cell_of_code(code: str, target: int) -> tuple[str, int | None, int, bool, int | None]:
    """(status, reached, target, met, self-rated) of a cell from its code: what the page draws."""
    reached, _, own = code[1:].partition("s")
    level = int(reached) if reached else None
    return (_CODE_STATUS[code[0]], level, target, level is not None and level >= target,
            int(own) if own else None)


# --- The columns ------------------------------------------------------------------------------


def matrix_columns(programme_id: int, kind: str | None) -> list[MatrixColumn]:
    """The matrix's columns: the programme's role profile items (of ``kind`` when given) in
    their order, with what a column header shows. One query, compiled once."""
    rows = _columns(kind is not None).rows(programme_id=programme_id, kind=kind or "")
    return [
        _column(
            row["competency_id"], row["id_number"], row["short_name"], row["framework_name"],
            row["framework_version"], row["kind"], row["target_level"], _level_name_of(
                row["scale_levels"] if row["scale_levels"] is not None else row["framework_levels"],
                row["target_level"],
            ),
        )
        for row in rows
    ]


def _column(
    competency_id: int, id_number: str, short_name: str, framework_name: str, framework_version: str,
    kind: str, target: int, target_name: str,
) -> MatrixColumn:
    """A column from its item's fields and the name of its target level (on its competency's
    scale: the competency's own, else its framework's)."""
    return MatrixColumn(
        competency_id, id_number, Competency.name_of(id_number, short_name),
        Framework.label_of(framework_name, framework_version), kind, target, target_name,
    )


def _columns_from(headers: str | None) -> list[MatrixColumn]:
    """The columns from the page statement's ``headers`` (its JSON: see _page_rows)."""
    return list(_columns_of(headers)) if headers else []


@lru_cache(maxsize=64)
def _columns_of(headers: str) -> tuple[MatrixColumn, ...]:
    # Every visit to a cohort's matrix reads the same headers (its programme's role profile):
    # decoded once, not once a visit. Keyed by the JSON itself, so changed columns are read anew.
    return tuple(_column(*fields) for fields in json.loads(headers))


_WARD_FIELDS = {"id": "id", "name": "name"}


def _wards_from(wards: str | None) -> list[ClinicalArea]:
    """The wards from the page statement's ``wards`` (its JSON: see _page_rows), as
    wards_on_cohort gives them but for their id and name only (all the filter reads)."""
    return [instance_of(ClinicalArea, {"id": pk, "name": name}, _WARD_FIELDS) for pk, name in json.loads(wards or "[]")]


def _column_items(by_kind: bool) -> QuerySet:
    """The columns' fields, in the columns' order (position, item): Params programme_id, kind
    (when by_kind)."""
    return _profile_items(Param("programme_id"), Param("kind") if by_kind else None).order_by(
        "sort_order", "pk"
    ).values(
        "competency_id", "kind", "target_level",
        id_number=F("competency__id_number"), short_name=F("competency__short_name"),
        framework_name=F("competency__framework__short_name"),
        framework_version=F("competency__framework__version"),
        scale_levels=F("competency__scale__levels"), framework_levels=F("competency__framework__scale__levels"),
        position=F("sort_order"), item=F("pk"),
    )


# matrix_columns' statement, compiled once.
_columns = compiled_once(_column_items)


# --- The page's rows (PostgreSQL) -----------------------------------------------------------------

_ROW_NAMES = (
    "person", "first", "last", "ward", TOTAL, "competencies", "codes", "rated", "met_totals", "headers", "wards",
)


@compiled_once
def _page_rows(role: str, by_ward: bool, by_kind: bool) -> Statement:
    """The rows of a page of the matrix of a cohort from get_cohort_for: the trainees
    selectors.progress_matrix shows (_counted_on, in its order), LIMIT and OFFSET bound, each
    with the count of everyone, the trainee's pairs (``competencies``, their ids, and
    ``codes``, each one's code without its self-rating, in the same order, both joined by
    commas), their latest self-ratings (``rated``, "competency id:level" joined by commas),
    and (the same in every row) each column's met total over everyone, in the columns' order
    (_profile_items'), joined by commas; the first row also has the columns' ``headers``, a JSON
    array of each column's _column arguments in the columns' order (_column_items', the target's
    name from the scale matrix_columns chooses, as it names it) and the cohort's ``wards`` (wards_on_cohort's,
    whatever the ward asked for, as [id, name] in their order): two round trips fewer than
    their own statements. What a code says is what selectors.attainment_for and latest_self_ratings say of the
    pair, written in SQL: the current version
    (CurrentAttainment), withdrawn, else expired (its last valid day before today), else
    expiring (not progress, not below the target it was decided against, its last valid day by
    expiring_until), else counted; the newest self-rating by submitted_at, then id. A target
    is met as Attained.meets says (selectors._counting counts the same; a code's cell_of_code
    says the same of the page's rows). Params those of
    selectors._cohort_met_rows, and limit, offset, expiring_until."""
    membership = params_membership(role)
    everyone = _counted_on(ParamsCohort(membership), membership, Param("ward") if by_ward else None)
    everyone = everyone.order_by().values(
        enrolment=F("pk"), person=F("trainee_id"), first=F("trainee__first_name"), last=F("trainee__last_name"),
        ward=F("trainee__clinical_area__name"), **{TOTAL: Window(Count("*"))},
    )
    columns = _profile_items(Param("programme_id"), Param("kind") if by_kind else None).values(
        competency_pk=F("competency_id"), target=F("target_level"), position=F("sort_order"), item=F("pk"),
    )
    withdrawn, progress = AttainmentDecision.Kind.WITHDRAWN.value, AttainmentDecision.Kind.PROGRESS.value
    attainment, own = CurrentAttainment._meta.db_table, SelfAssessment._meta.db_table
    # The current version "a" of a pair counts towards the totals (at or above the target).
    counted = f"a.kind <> '{withdrawn}' AND (a.valid_until IS NULL OR a.valid_until >= %(today)s)"
    # Each row's pairs by a LATERAL join (a trainee's own, from the index of the pairs, for the
    # page's 25 only), in the index's order: neither joined with the columns nor sorted, which
    # _rows does for less; a trainee's self-ratings are few, picked among their own (an index
    # on the trainee); the columns worked out once (MATERIALIZED). The totals read everyone's
    # pairs from the same index (= ANY of an array: one index scan, where IN joined each
    # trainee), once (an InitPlan), counted by competency and level before they meet the
    # columns' targets: a few hundred groups joined rather than every pair (10,000 for 200
    # trainees); a pair below every target (a third of them in the bench) is not counted.
    sql = f"""
        WITH everyone AS MATERIALIZED ({{everyone}}),
        page AS (  -- in selectors.MATRIX_ORDER
            SELECT * FROM everyone ORDER BY last, first, enrolment LIMIT %(limit)s OFFSET %(offset)s
        ),
        columns AS MATERIALIZED ({{columns}}),
        headers AS (  -- the target's name as selectors._level_name_of names it (a scale's levels were
                      -- most of the JSON, each column repeating its scale's)
            SELECT json_agg(json_build_array(
                h.competency_id, h.id_number, h.short_name, h.framework_name, h.framework_version, h.kind,
                h.target_level, CASE WHEN h.target_level < jsonb_array_length(scale.levels)
                    THEN scale.levels -> h.target_level ->> 'name' ELSE 'Level ' || (h.target_level + 1) END
            ) ORDER BY h.position, h.item)::text AS headers
            FROM ({{headers}}) h CROSS JOIN LATERAL (
                SELECT COALESCE(NULLIF(h.scale_levels, 'null'::jsonb), h.framework_levels) AS levels
            ) scale
        ),
        wards AS (
            SELECT json_agg(json_build_array(w.id, w.name) ORDER BY w.name, w.id)::text AS wards FROM ({{wards}}) w
        ),
        levels AS (  -- everyone's counted pairs that may meet a target, as many a level of a competency
            SELECT a.competency_id, a.level, COUNT(*) AS n FROM "{attainment}" a
            WHERE a.trainee_id = ANY(ARRAY(SELECT person FROM everyone))
                AND a.level >= (SELECT MIN(c.target) FROM columns c) AND {counted}
            GROUP BY a.competency_id, a.level
        ),
        totals AS (
            SELECT string_agg(COALESCE(counted.n, 0)::text, ',' ORDER BY c.position, c.item) AS met
            FROM columns c LEFT JOIN (
                SELECT c.competency_pk, SUM(l.n) AS n
                FROM columns c JOIN levels l ON l.competency_id = c.competency_pk AND l.level >= c.target
                GROUP BY c.competency_pk
            ) counted ON counted.competency_pk = c.competency_pk
        )
        SELECT page.person, page.first, page.last, page.ward, page.{TOTAL}, cells.competencies, cells.codes,
            own.rated, (SELECT met FROM totals) AS met_totals,
            CASE WHEN row_number() OVER (ORDER BY page.last, page.first, page.enrolment) = 1
                THEN (SELECT headers FROM headers) END AS headers,
            CASE WHEN row_number() OVER (ORDER BY page.last, page.first, page.enrolment) = 1
                THEN (SELECT wards FROM wards) END AS wards
        FROM page CROSS JOIN LATERAL (
            SELECT string_agg(a.competency_id::text, ',') AS competencies, string_agg(
                CASE WHEN a.kind = '{withdrawn}' THEN 'w'
                WHEN a.valid_until < %(today)s THEN 'x'
                WHEN a.level IS NULL THEN 'n'
                WHEN a.kind <> '{progress}' AND NOT COALESCE(a.level < a.target_level, FALSE)
                    AND a.valid_until <= %(expiring_until)s THEN 'e' || a.level
                ELSE 'c' || a.level END,
                ','
            ) AS codes  -- in the same order as competencies: the same rows into the same aggregate
            FROM "{attainment}" a WHERE a.trainee_id = page.person
        ) cells CROSS JOIN LATERAL (
            SELECT string_agg(r.competency_id || ':' || r.level, ',') AS rated FROM (
                SELECT DISTINCT ON (s.competency_id) s.competency_id, s.level FROM "{own}" s
                WHERE s.trainee_id = page.person ORDER BY s.competency_id, s.submitted_at DESC, s.id DESC
            ) r
        ) own
        ORDER BY page.last, page.first, page.enrolment
    """  # noqa: S608  # nosec B608 (table names from the models, constants from the code; every value a parameter)
    return statement(
        sql, _ROW_NAMES, everyone=everyone, columns=columns, headers=_column_items(by_kind),
        wards=wards_on_cohort_query(role),
    )
