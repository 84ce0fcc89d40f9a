"""Planner exports: the files read back (CSV, a ZIP of CSVs, XLSX), scoped to the person,
safe against formula injection, asked for on the export page and made by a report job."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from programmes.models import Membership, Role
from reports import services
from reports.builders import export_output
from reports.exports.datasets import Table
from reports.exports.writers import neutralise, write_csv, write_xlsx
from reports.models import ReportJob
from tests.conftest import partner_with
from tests.trainees.helpers import add_trainee

from .data import add_evidence, add_profile

pytestmark = pytest.mark.django_db


def _membership(world, role=Role.PLANNER) -> Membership:
    return Membership.objects.select_related("organisation", "user").get(user=world.person(role))


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_neutralise_makes_formulas_plain_text_and_leaves_numbers_alone():
    for text in ("=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Larch Ward") == "Larch Ward"
    assert neutralise(-3) == -3
    assert neutralise("") == ""


def test_formula_like_text_is_neutralised_in_csv_and_xlsx():
    table = Table("evil", ["Name", "Hours"], [["=cmd|' /C calc'!A0", -2], ["@SUM(1+1)", 3]])
    content, extension = write_csv([table])
    assert extension == "csv"
    rows = _csv_rows(content)
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-2"]
    assert rows[2][0] == "'@SUM(1+1)"
    sheet = load_workbook(io.BytesIO(write_xlsx([table])))["evil"]
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s"  # text, never a formula
    assert sheet["B2"].value == -2  # a number stays a number


def test_the_planners_export_reads_back_with_outcomes_study_time_and_attainment(world):
    profile = add_profile(world)
    add_evidence(world, world.trainee, profile)
    # A trainee's name that a spreadsheet would run as a formula.
    add_trainee(world, first_name="=1+2", last_name="Sneaky", employee_number="X1")
    output = export_output(file_format="xlsx", datasets=["programmes", "cohorts", "enrolments", "attainment",
                                                          "study_time_lost", "audits", "satisfaction"],
                           membership=_membership(world))
    assert output.file_name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(output.content))
    assert book.sheetnames == [
        "programmes", "cohorts", "enrolments", "attainment", "study_time_lost", "audits", "satisfaction"
    ]
    programmes = list(book["programmes"].values)
    assert [row[1] for row in programmes[1:]] == ["Inpatient assistant practitioner"]  # not the other organisation's
    assert programmes[1][7] == 2  # trainees enrolled
    headers = [cell.value for cell in book["enrolments"][1]]
    enrolments = [dict(zip(headers, row, strict=True))
                  for row in book["enrolments"].iter_rows(min_row=2, values_only=True)]
    sam = next(row for row in enrolments if row["Trainee"] == "Sam Trainee")
    assert sam["Status"] == "Active"
    assert sam["Competencies at target"] == 1 and sam["Competencies in the role profile"] == 3
    assert any(row["Trainee"] == "'=1+2 Sneaky" for row in enrolments)
    attainment = list(book["attainment"].iter_rows(min_row=2, values_only=True))
    assert len(attainment) == 2 * 3  # two trainees x three competencies
    met = {(row[2], row[5]): row[10] for row in attainment}
    assert met[("Sam Trainee", "CC10")] is True and met[("Sam Trainee", "AP3")] is False


def test_several_csv_tables_come_as_a_zip_of_csv_files(world):
    output = export_output(file_format="csv", datasets=["programmes", "cohorts"], membership=_membership(world))
    assert output.file_name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(output.content))
    assert sorted(archive.namelist()) == ["cohorts.csv", "programmes.csv"]
    cohorts = _csv_rows(archive.read("cohorts.csv"))
    assert cohorts[0][:3] == ["Programme", "Cohort ID", "Cohort"]
    assert cohorts[1][2] == "Cohort 1" and cohorts[1][6] == "1"


def test_the_export_shows_only_the_organisations_own_programmes(world):
    # The other organisation names Acme as a partner of its programme: Acme's planner reads
    # it elsewhere, but exports only what Acme leads.
    partner_with(world.other_programme, world.organisation)
    output = export_output(file_format="csv", datasets=["enrolments"], membership=_membership(world))
    text = output.content.decode("utf-8-sig")
    assert "Sam Trainee" in text and "Elsewhere" not in text and "Generic clinical HCSW" not in text


def test_the_export_page_queues_a_job_with_the_chosen_tables(world, client, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    client.force_login(world.person(Role.PLANNER))
    response = client.post("/reports/exports/", {"datasets": ["cohorts", "audits"], "file_format": "csv"})
    job = ReportJob.objects.get()
    assert response["Location"] == f"/reports/{job.pk}/"
    assert job.kind == ReportJob.Kind.EXPORT_CSV
    assert job.options["datasets"] == ["cohorts", "audits"]
    assert queued == [job]


def test_the_export_page_says_what_is_missing(world, client, monkeypatch):
    monkeypatch.setattr(services, "_enqueue", lambda job: None)
    client.force_login(world.person(Role.TRAINING_LEAD))
    response = client.post("/reports/exports/", {"datasets": ["nonsense"]})
    assert response.status_code == 200
    assert b"from the choices given" in response.content
    assert b"Choose a format." in response.content
    assert not ReportJob.objects.exists()
    client.force_login(world.person(Role.MANAGER))
    assert client.post("/reports/exports/", {"datasets": ["cohorts"], "file_format": "csv"}).status_code == 403


def test_an_export_job_renders_in_process_and_downloads(
    world, client, settings, django_capture_on_commit_callbacks
):
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):  # the job is queued on commit
            job = services.report_job_request(
                membership=_membership(world), kind=ReportJob.Kind.EXPORT_XLSX,
                options={"datasets": ["cohorts"]},
            )
    finally:
        celery_app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.failure_reason
    client.force_login(world.person(Role.TRAINING_LEAD))  # another org-wide reader of the organisation
    response = client.get(f"/reports/{job.pk}/download/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book["cohorts"]["C2"].value == "Cohort 1"
    assert book["cohorts"]["E2"].value.date() == date(2026, 1, 5)
    client.force_login(world.outsider)
    assert client.get(f"/reports/{job.pk}/download/").status_code == 404
