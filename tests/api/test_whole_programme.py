"""A whole programme fed through the API, as an HR integration would: a programme, a cohort,
ten trainees, their enrolments through to completion with outcomes, interviews at three stages,
then a case study asked for and its PDF downloaded and read."""

from __future__ import annotations

import subprocess

import pytest

from config.celery import app as celery_app
from programmes.models import Role
from trainees.models import Enrolment

from .conftest import client_with_token, token_for

ANSWER_FOR_KIND = {
    "text": "Confidence grew with every placement.",
    "scale": "4",
    "yes_no": "yes",
    "number": "3",
}


def _answer(question: dict) -> str:
    if question["kind"] == "choice":
        return question["choices"][0]
    return ANSWER_FOR_KIND[question["kind"]]


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return (
        response.json()
        if response.content and response["Content-Type"].startswith("application/json")
        else {}
    )


@pytest.fixture
def eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = (
        True  # render the PDF in-process, as the embedded default does
    )
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.mark.django_db(transaction=True)
def test_a_whole_programme_through_the_api_ends_in_a_case_study_pdf(world, eager_celery):
    lead = client_with_token(token_for(world.person(Role.TRAINING_LEAD), "ESR feed"))
    manager_id = world.person(Role.MANAGER).pk

    programme = _ok(
        lead.post(
            "/api/v1/programmes/",
            {
                "title": "Nursing associate in care homes",
                "setting": "Care homes",
                "clinical_areas": [world.ward.pk],
                "status": "running",
                "intended_benefits": ["More registered-level care at night"],
            },
            format="json",
        ),
        201,
    )
    cohort = _ok(
        lead.post(
            "/api/v1/cohorts/",
            {
                "programme": programme["id"],
                "name": "Cohort 2025",
                "starts_on": "2025-01-06",
                "ends_on": "2026-06-30",
            },
            format="json",
        ),
        201,
    )
    assert cohort["intake_number"] == 1

    enrolments = []
    for n in range(10):
        trainee = _ok(
            lead.post(
                "/api/v1/trainees/",
                {
                    "first_name": f"Trainee{n}",
                    "last_name": "Feed",
                    "employee_number": f"ESR{n:04}",
                    "band": "3",
                    "clinical_area": world.ward.pk,
                    "line_manager": manager_id,
                },
                format="json",
            ),
            201,
        )
        enrolments.append(
            _ok(
                lead.post(
                    "/api/v1/enrolments/",
                    {
                        "trainee": trainee["id"],
                        "cohort": cohort["id"],
                        "status": "active",
                        "enrolled_on": "2025-01-06",
                        "reason": "From ESR",
                    },
                    format="json",
                ),
                201,
            )
        )
    listed = _ok(lead.get(f"/api/v1/enrolments/?cohort={cohort['id']}&status=active"))
    assert listed["count"] == 10

    # Three evaluation stages, each opened and every interview recorded as done.
    stages = _ok(
        lead.post("/api/v1/stages/defaults/", {"cohort": cohort["id"]}, format="json"), 201
    )
    assert len(stages) == 3
    done = 0
    for stage in stages:
        opened = _ok(lead.post(f"/api/v1/stages/{stage['id']}/open/"))
        assert opened["status"] == "open"
        interviews = _ok(lead.get(f"/api/v1/interviews/?stage={stage['id']}&page_size=100"))[
            "results"
        ]
        assert len(interviews) == 11  # ten trainees and their (one) line manager
        for interview in interviews:
            answers = {q["key"]: _answer(q) for q in interview["questions"]}
            recorded = _ok(
                lead.post(
                    f"/api/v1/interviews/{interview['id']}/record/",
                    {
                        "answers": answers,
                        "held_on": stage["due_on"],
                        "consent_to_quote": True,
                        "complete": True,
                    },
                    format="json",
                )
            )
            assert recorded["status"] == "done"
            done += 1

    # Everyone completes: seven qualify, three go on to the nursing degree.
    for n, enrolment in enumerate(enrolments):
        outcome = (
            {"outcome": "qualified"}
            if n < 7
            else {
                "outcome": "progressed",
                "outcome_detail": "Nursing degree (abbreviated), Westmoor University",
            }
        )
        completed = _ok(
            lead.post(
                f"/api/v1/enrolments/{enrolment['id']}/transition/",
                {
                    "to_status": "completed",
                    "on": "2026-06-30",
                    **outcome,
                },
                format="json",
            )
        )
        assert completed["status"] == "completed"
    assert Enrolment.objects.filter(cohort_id=cohort["id"], status="completed").count() == 10

    job = _ok(lead.post("/api/v1/report-jobs/", {"programme": programme["id"]}, format="json"), 201)
    job = _ok(lead.get(f"/api/v1/report-jobs/{job['id']}/"))
    assert job["status"] == "done", job
    pdf = lead.get(job["download_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF")
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 (poppler-utils, as the report tests use)
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = " ".join(text.split())
    assert "Nursing associate in care homes" in words
    assert (
        "10 trainees enrolled across 1 cohort: 10 completed, 7 qualified in the role, "
        "3 progressed to further training" in words
    )
    assert "Nursing degree (abbreviated), Westmoor University" in words
    assert done == 33
