"""The database failing in the middle of an import leaves nothing of it, and says so.

For each CSV import the good file is imported once to count its writes; then, for several
points in that sequence, the same import is run again with the Nth INSERT into the import's
tables failing (an OperationalError, as when the connection drops or the disk fills). Nothing
of that import may remain, and the page must say the import failed, never answer 500.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction

from competencies.models import Competency, Framework, Mapping, Scale
from evaluations.models import SatisfactionResult
from programmes.models import Role
from trainees.models import Enrolment, EnrolmentTransition, LearningContract, Trainee

from ..imports.cases import CASES

ERROR_MARKERS = ("nhsuk-error-summary", "nhsuk-error-message", "The import failed")


def _tables(*models) -> tuple[str, ...]:
    return tuple(model._meta.db_table for model in models)


# The tables each import writes (its records, their parents, and the audit trail).
TABLES = {
    "enrolments": _tables(Trainee, Enrolment, EnrolmentTransition, LearningContract, LogEntry),
    "moodle-framework": _tables(Framework, Scale, Competency, Competency.related.through),
    "mappings": _tables(Mapping, LogEntry),
    "satisfaction": _tables(SatisfactionResult, LogEntry),
}


class InsertFault:
    """An execute_wrapper counting the writes (INSERT, or COPY as core.bulk sends) into
    `tables`, failing the `fail_at`-th."""

    def __init__(self, tables: tuple[str, ...], fail_at: int | None = None):
        self.tables, self.fail_at, self.inserts = tables, fail_at, 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "COPY")) and any(f'"{t}"' in sql for t in self.tables):
            self.inserts += 1
            if self.inserts == self.fail_at:
                raise OperationalError("injected: the server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def _snapshot(tables) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own table names
            counts[table] = cursor.fetchone()[0]
        return counts


def _import(client, case, world, fault: InsertFault):
    """Upload the good file, then run the import's final step under the fault."""
    upload = SimpleUploadedFile("import.csv", case.good_csv.encode(), content_type="text/csv")
    if case.finish:  # the fault hits the confirming step, where the records are written
        response = client.post(case.url(world), {**case.fields, "file": upload})
        with connection.execute_wrapper(fault):
            return case.finish(client, response)
    with connection.execute_wrapper(fault):
        return client.post(case.url(world), {**case.fields, "file": upload})


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_database_error_mid_import_leaves_nothing_and_says_why(case, world, client):
    if case.setup:
        case.setup(world)
    client.force_login(world.person(Role.TRAINING_LEAD))
    tables = TABLES[case.name]

    counting = InsertFault(tables)
    with transaction.atomic():
        assert _import(client, case, world, counting).status_code == 302
        transaction.set_rollback(True)
    writes = counting.inserts
    assert writes >= 1

    # The first write, the last, and up to three between.
    points = sorted({1, writes, *range(2, writes, max(1, writes // 4))})[:5] + [writes]
    for fail_at in sorted(set(points)):
        with transaction.atomic():
            before = _snapshot(tables)
            fault = InsertFault(tables, fail_at=fail_at)
            response = _import(client, case, world, fault)
            assert fault.inserts >= fail_at, "the fault was injected"
            assert response.status_code < 500, f"INSERT {fail_at} of {writes} failing: 500"
            if response.status_code == 302:
                response = client.get(response["Location"])
            html = response.content.decode()
            assert any(m in html for m in ERROR_MARKERS), f"INSERT {fail_at}: no error shown"
            assert "nothing was imported" in html.lower(), f"INSERT {fail_at}: not said"
            after = _snapshot(tables)
            changed = {t: after[t] - before[t] for t in tables if after[t] != before[t]}
            assert not changed, f"INSERT {fail_at} of {writes} failing left {changed}"
            transaction.set_rollback(True)
