"""A variant programme entered through the API alone, as an integration would (other numbers
than the demo's, its narrative through PATCH /programmes/{id}/case-study/), comes out with its
own figures and words in both the PDF and the Word file, both asked for and downloaded through
the API."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document

from programmes.models import Role

from .conftest import client_with_token, token_for
from .test_whole_programme import _ok, eager_celery  # noqa: F401 (a fixture)

WHY = "Night shifts on our four care homes had no one trained to take bloods."
TIPS = "Book the university early\nPair every trainee with a named nurse"


def _download(client, job_id: int) -> tuple[bytes, str]:
    job = _ok(client.get(f"/api/v1/report-jobs/{job_id}/"))
    assert job["status"] == "done", job
    answer = client.get(job["download_url"])
    assert answer.status_code == 200
    return b"".join(answer.streaming_content), answer["Content-Type"]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db(transaction=True)
def test_a_programme_entered_through_the_api_has_its_own_figures_and_words_in_pdf_and_word(
    world, eager_celery  # noqa: F811
):
    lead = client_with_token(token_for(world.person(Role.TRAINING_LEAD), "HR feed"))
    programme = _ok(lead.post("/api/v1/programmes/", {
        "title": "Senior care worker in nursing homes", "setting": "Nursing homes",
        "clinical_areas": [world.ward.pk], "status": "running",
        "intended_benefits": ["Blood tests taken on nights without calling the GP"],
    }, format="json"), 201)
    cohort = _ok(lead.post("/api/v1/cohorts/", {
        "programme": programme["id"], "name": "Spring intake", "starts_on": "2025-03-03", "ends_on": "2026-02-27",
    }, format="json"), 201)
    for n in range(5):
        trainee = _ok(lead.post("/api/v1/trainees/", {
            "first_name": f"Care{n}", "last_name": "Worker", "employee_number": f"NH{n:03}", "band": "3",
            "clinical_area": world.ward.pk, "line_manager": world.person(Role.MANAGER).pk,
        }, format="json"), 201)
        enrolment = _ok(lead.post("/api/v1/enrolments/", {
            "trainee": trainee["id"], "cohort": cohort["id"], "status": "active", "enrolled_on": "2025-03-03",
        }, format="json"), 201)
        if n < 4:  # four finish (three qualify, one goes on to nursing); one is still training
            outcome = {"outcome": "qualified"} if n < 3 else {
                "outcome": "progressed", "outcome_detail": "Nursing associate apprenticeship, Eastport College"}
            _ok(lead.post(f"/api/v1/enrolments/{enrolment['id']}/transition/", {
                "to_status": "completed", "on": "2026-02-27", **outcome}, format="json"))

    url = f"/api/v1/programmes/{programme['id']}/case-study/"
    version = _ok(lead.get(url))["version"]
    _ok(lead.patch(url, {
        "version": version, "subtitle": "Bloods at night, closer to home", "authors": "Dee Lead",
        "what_we_did_and_why": WHY, "tips_for_others": TIPS, "contact_details": "Dee Lead, workforce team",
    }, format="json"))

    pdf_job = _ok(lead.post("/api/v1/report-jobs/", {"programme": programme["id"]}, format="json"), 201)
    word_job = _ok(lead.post("/api/v1/report-jobs/", {"programme": programme["id"], "format": "docx"},
                             format="json"), 201)
    assert (pdf_job["format"], word_job["format"]) == ("pdf", "docx")
    pdf, pdf_type = _download(lead, pdf_job["id"])
    docx, docx_type = _download(lead, word_job["id"])
    assert pdf_type == "application/pdf"
    assert docx_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    pdf_words = _words(subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True,  # noqa: S607
    ).stdout.decode())
    document = Document(io.BytesIO(docx))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    word_words = _words(" ".join(paragraphs + cells))

    figures = ("5 trainees enrolled across 1 cohort: 4 completed, 3 qualified in the role, "
               "1 progressed to further training, 0 withdrew, 1 still training.")
    for words in (pdf_words, word_words):
        assert "Senior care worker in nursing homes" in words
        assert "Bloods at night, closer to home" in words
        assert figures in words
        assert "Nursing associate apprenticeship, Eastport College" in words
        assert WHY in words
        assert "Book the university early" in words and "Pair every trainee with a named nurse" in words
        assert "Inpatient assistant practitioner" not in words  # the world's other programme
    # The at-a-glance figures in Word: a table of the key facts.
    glance = {row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows
              if len(row.cells) == 2}
    assert (glance["Cohorts"], glance["Trainees"], glance["Completed"], glance["Progressed to further training"]) == (
        "1", "5", "4", "1")
    assert document.core_properties.author == "Dee Lead"
    tips = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Book the university early" in tips and "Pair every trainee with a named nurse" in tips
