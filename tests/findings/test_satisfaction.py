"""Service-user satisfaction: by hand and by CSV import, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.findings import satisfaction_csv, services
from evaluations.findings.selectors import satisfaction_summary
from evaluations.models import SatisfactionResult
from programmes import services as programme_services
from programmes.models import Role

from ..programmes.helpers import Page, date_parts

HEADER = "ward,period_start,period_end,responses,score,source,questions\n"


@pytest.fixture
def oak(world):
    oak = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    programme_services.programme_update(programme=world.programme, clinical_areas=[world.ward, oak])
    return oak


def _import(client, world, text: str | bytes, name="results.csv"):
    data = text.encode() if isinstance(text, str) else text
    url = reverse("findings:satisfaction_import", kwargs={"programme_pk": world.programme.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _problems(response) -> list[tuple[str, str]]:
    page = Page(response)
    return [(row["Line"], row["Problem"]) for row in page.rows(data_testid="import-problem")]


def test_a_good_file_is_imported_whole(client_as, world, oak):
    text = HEADER + (
        "Larch Ward,2026-03-01,2026-03-31,24,87.5,Productive Ward local survey,"
        "Helped with physical health?|Recommend?\n"
        "  larch   ward ,01/04/2026,30/04/2026,19,91%,,\n"
        "\n"
        "Oak Ward,2026-03-01,2026-03-31,11,60,,\n"
    )
    response = _import(client_as(Role.TRAINING_LEAD), world, text)
    assert response.status_code == 302
    summary = satisfaction_summary(programme=world.programme)
    assert [(r.ward, r.period_start, r.score, r.questions) for r in summary.rows] == [
        ("Larch Ward", date(2026, 3, 1), Decimal("87.5"), ["Helped with physical health?", "Recommend?"]),
        ("Oak Ward", date(2026, 3, 1), Decimal("60.0"), []),
        ("Larch Ward", date(2026, 4, 1), Decimal("91.0"), []),
    ]
    assert summary.period_labels == ["Mar 2026", "Apr 2026"]
    assert summary.wards == [("Larch Ward", [Decimal("87.5"), Decimal("91.0")]), ("Oak Ward", [Decimal("60.0"), None])]


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem_by_line(client_as, world, oak):
    services.satisfaction_record(programme=world.programme, item=services.SatisfactionInput(
        clinical_area=world.ward, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31),
        responses=10, score=Decimal(80)))
    text = HEADER + (
        "Larch Ward,2026-03-01,2026-03-31,24,87.5,,\n"       # 2: fine
        "Birch Ward,2026-03-01,2026-03-31,24,87.5,,\n"       # 3: unknown ward
        "Larch Ward,2026-02-30,2026-03-31,24,87.5,,\n"       # 4: not a date
        "Oak Ward,2026-03-01,2026-03-31,24,101,,\n"          # 5: score out of range
        "Larch Ward,2026-03-01,2026-03-31,3,70,,\n"          # 6: repeats line 2's period
        "Larch Ward,2026-01-01,2026-01-31,3,70,,\n"          # 7: already recorded
        "Oak Ward,2026-04-01,2026-03-01,zero,abc,,\n"        # 8: several problems at once
        'Oak Ward,2026-05-01,2026-05-31,5,50,"a\nsource",\n'  # 9: a quoted line break is fine
        "Oak Ward,2026-06-01\n"                              # 11: too few values
    )
    response = _import(client_as(Role.TRAINING_LEAD), world, text)
    assert response.status_code == 200
    assert _problems(response) == [
        ("3", "The ward “Birch Ward” is not one of the programme's wards (Larch Ward, Oak Ward)"),
        ("4", "The period_start “2026-02-30” is not a real date: use YYYY-MM-DD or DD/MM/YYYY"),
        ("5", "The score 101 is out of range: it is a percentage from 0 to 100"),
        ("6", "Line 2 already has Larch Ward for the period starting 1 March 2026"),
        ("7", "There is already a result for Larch Ward for the period starting 1 January 2026"),
        ("8", "The period_end is before the period_start"),
        ("8", "The responses “zero” must be a whole number, 1 or more"),
        ("8", "The score “abc” is not a number"),
        ("11", "The row has 2 values but the header has 7 columns"),
    ]
    assert "Nothing was imported: 7 rows have problems" in Page(response).error_for("id_file")
    assert SatisfactionResult.objects.count() == 1  # only the one recorded before


@pytest.mark.parametrize(("data", "message"), [
    ("Zoë Ward,2026-03-01".encode("latin-1"), "The file is not UTF-8 encoded: line 1"),
    (b"PK\x03\x04rest", "The file is an Excel workbook (.xlsx)"),
    (b"ward,start,end\nLarch Ward,1,2\n", "The header (line 1) has the wrong columns: missing period_start"),
    (b"ward;period_start;period_end\n", "separated by semicolons"),
    (HEADER.encode(), "The file has a header but no results."),
    (b"", "The selected file is empty"),
    ("\ufeffWard,Period start,Period end,Responses,Score,Colour\n".encode(), "unknown “Colour”"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(client_as, world, data, message):
    response = _import(client_as(Role.TRAINING_LEAD), world, data)
    assert response.status_code == 200
    assert message in Page(response).error_for("id_file")
    assert not SatisfactionResult.objects.exists()


def test_the_documented_example_imports(world, oak):
    parsed = satisfaction_csv.parse_results(satisfaction_csv.example_csv().encode(), wards=[world.ward, oak])
    assert not parsed.problems and len(parsed.rows) == 2


def test_a_result_by_hand_and_a_duplicate_period(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("findings:satisfaction", kwargs={"programme_pk": world.programme.pk})
    data = {"clinical_area": world.ward.pk, **date_parts("period_start", date(2026, 3, 1)),
            **date_parts("period_end", date(2026, 3, 31)), "responses": "20", "score": "85.5",
            "source": "Productive Ward", "questions": "Were you treated with dignity?\n"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "score": "120"})
    assert Page(response).error_for("id_score") == "The score is a percentage: it must be between 0 and 100"
    response = client.post(url, data)
    assert Page(response).error_for("id_period_start") == (
        "There is already a result for Larch Ward for the period starting 1 March 2026"
    )
    page = Page(client.get(url))
    (row,) = page.rows(data_testid="satisfaction-result")
    assert row["Satisfied"] == "85.5%" and row["Questions"] == "Were you treated with dignity?"
    assert page.has(data_testid="satisfaction-chart")


def test_a_planner_reads_but_cannot_add(client_as, world):
    client = client_as(Role.PLANNER)
    url = reverse("findings:satisfaction", kwargs={"programme_pk": world.programme.pk})
    page = Page(client.get(url))
    assert not page.has(data_testid="satisfaction-form")
    assert client.post(url, {"responses": "1"}).status_code == 403
