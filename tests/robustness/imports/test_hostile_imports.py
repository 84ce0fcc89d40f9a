"""Hostile files through every CSV import's upload page: whole or nothing, never a 500.

Each example starts from a good file and spoils it: random bytes, one cell replaced by hostile
text (markup, control characters, SQL, huge strings, lone surrogates), another encoding, or
trailing lines cut off. Then the import is finished as a person would (confirming the preview
where there is one). Either every row of the file is stored, or none is and the page says why.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programmes.models import Role

from ..forms.driver import assert_no_raw_markup
from ..hostile import encodings, hostile_str, random_bytes
from .cases import CASES

FUZZ = settings(
    max_examples=15, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ERROR_MARKERS = ("nhsuk-error-summary", "nhsuk-error-message", "import-problem")


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def spoiled_files(draw, good: str, rows: int) -> tuple[bytes, set[int]]:
    """(file, the numbers of records an import of it may store)."""
    how = draw(st.sampled_from(("bytes", "cell", "cell", "cell", "encoding", "cut")))
    if how == "bytes":
        return draw(random_bytes), {0}
    if how == "encoding":
        # Only UTF-8 (with or without BOM) is promised; others must import whole or be refused.
        return good.encode(draw(encodings), "replace"), {0, rows}
    lines = list(csv.reader(io.StringIO(good)))
    if how == "cut":
        dropped = draw(st.integers(1, len(lines) - 1))
        return _write(lines[:-dropped]).encode(), {0, max(rows - dropped, 0)}
    line = draw(st.integers(0, len(lines) - 1))
    column = draw(st.integers(0, len(lines[line]) - 1))
    lines[line][column] = draw(hostile_str)
    return _write(lines).encode("utf-8", "surrogatepass"), {0, rows}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_import_stores_every_row_or_none_and_says_why(case, world, client):
    if case.setup:
        case.setup(world)
    url = case.url(world)

    @FUZZ
    @given(spoiled=spoiled_files(case.good_csv, case.rows))
    def upload(spoiled):
        data, allowed = spoiled
        with transaction.atomic():
            client.force_login(world.person(Role.TRAINING_LEAD))
            before = case.stored()
            upload = SimpleUploadedFile("import.csv", data, content_type="text/csv")
            response = client.post(url, {**case.fields, "file": upload})
            assert response.status_code < 500
            if case.finish:
                response = case.finish(client, response)
                assert response.status_code < 500
            added = case.stored() - before
            assert added in allowed, f"{added} of {case.rows} records stored"
            if response.status_code == 302:
                response = client.get(response["Location"])
            assert_no_raw_markup(response, f"{case.name} import")
            if added == 0:
                html = response.content.decode()
                assert any(m in html for m in ERROR_MARKERS), "refused without saying why"
            transaction.set_rollback(True)

    upload()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_good_file_imports_whole(case, world, client):
    # The test of the test: the unspoiled file is importable, so a refusal above is the spoiling.
    if case.setup:
        case.setup(world)
    client.force_login(world.person(Role.TRAINING_LEAD))
    before = case.stored()
    upload = SimpleUploadedFile("import.csv", case.good_csv.encode(), content_type="text/csv")
    response = client.post(case.url(world), {**case.fields, "file": upload})
    if case.finish:
        response = case.finish(client, response)
    assert response.status_code == 302
    assert case.stored() - before == case.rows
