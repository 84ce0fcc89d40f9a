"""The REDCap-style CSV of one instrument family: columns across versions, names for leads and
pseudonyms for planners, constant queries."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.findings.export import COLUMNS
from evaluations.models import Interview, Question
from programmes.models import Role

from . import factories as f

V1 = (("why_applied", "Why did you apply?", Question.Kind.TEXT),
      ("pay", "Will you gain or lose pay?", Question.Kind.TEXT),
      ("confidence", "How confident are you?", Question.Kind.SCALE))
V2 = (("why_applied", "Why did you apply?", Question.Kind.TEXT),
      ("confidence", "How confident are you?", Question.Kind.SCALE),
      ("study_time", "Do you get your protected study time?", Question.Kind.YES_NO))


@pytest.fixture
def two_versions(world):
    v1 = f.instrument(world.organisation, questions=V1, version=1)
    v2 = f.instrument(world.organisation, questions=V2, version=2)
    start = f.stage(world.cohort, name="Start", order=1)
    mid = f.stage(world.cohort, name="Mid-way", order=2, opens_on=date(2026, 9, 1), due_on=date(2026, 10, 1))
    lead = world.person(Role.TRAINING_LEAD)
    first = f.interview(start, v1, enrolment=world.enrolment, consent=True, interviewer=lead, answers={
        "why_applied": "=HYPERLINK(\"http://x\")", "pay": "A pay cut", "confidence": 2})
    second = f.interview(mid, v2, enrolment=world.enrolment, interviewer=lead, held_on=date(2026, 9, 10),
                         answers={"why_applied": "Nursing", "confidence": 4, "study_time": "no"})
    draft = f.interview(mid, v2, enrolment=f.enrolment(world, first_name="Dee"), status=Interview.Status.DRAFT,
                        answers={"why_applied": "Half"})
    return {"first": first, "second": second, "draft": draft}


def _csv(client, world, family="trainee-interview", query=""):
    response = client.get(reverse("findings:instrument_export",
                                  kwargs={"cohort_pk": world.cohort.pk, "family": family}) + query)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="inpatient-assistant-practitioner-cohort-1-trainee-interview'
    )
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_columns_are_the_union_of_question_keys_across_versions(client_as, world, two_versions):
    rows = _csv(client_as(Role.TRAINING_LEAD), world)
    assert list(rows[0].keys()) == [name for name, _ in COLUMNS] + ["why_applied", "confidence", "study_time", "pay"]
    first, second = rows
    assert first["instrument_version"] == "1" and second["instrument_version"] == "2"
    assert (first["pay"], first["study_time"]) == ("A pay cut", "")  # v1 did not ask about study time
    assert (second["pay"], second["study_time"]) == ("", "no")
    assert (first["confidence"], second["confidence"]) == ("2", "4")
    assert (first["stage"], second["stage"], second["stage_order"]) == ("Start", "Mid-way", "2")
    assert (first["consent_to_quote"], second["consent_to_quote"]) == ("1", "0")
    assert first["held_on"] == "2026-01-20" and first["status"] == "done"
    assert first["why_applied"].startswith("'=HYPERLINK")  # never a live formula in a spreadsheet
    assert first["subject_name"] == "Sam Trainee" and first["interviewer"] == "Training Lead Acme"
    assert first["subject_id"] == second["subject_id"] and first["subject_id"].startswith("T-")


def test_all_interviews_with_their_status_on_request(client_as, world, two_versions):
    rows = _csv(client_as(Role.TRAINING_LEAD), world, query="?include=all")
    assert [r["status"] for r in rows] == ["done", "done", "draft"]


def test_a_planner_gets_pseudonyms_and_no_names(client_as, world, two_versions):
    lead_rows = _csv(client_as(Role.TRAINING_LEAD), world)
    rows = _csv(client_as(Role.PLANNER), world)
    assert "subject_name" not in rows[0]
    assert rows[0]["subject_id"] == lead_rows[0]["subject_id"]
    assert rows[0]["interviewer"].startswith("S-")
    text = str(rows)
    assert "Sam" not in text and "Training Lead" not in text


def test_an_unknown_family_is_not_found(client_as, world, two_versions):
    url = reverse("findings:instrument_export", kwargs={"cohort_pk": world.cohort.pk, "family": "nope"})
    assert client_as(Role.TRAINING_LEAD).get(url).status_code == 404
    # Another organisation's family of the same name does not leak into Acme's export either.
    f.instrument(world.other_organisation, family="theirs")
    url = reverse("findings:instrument_export", kwargs={"cohort_pk": world.cohort.pk, "family": "theirs"})
    assert client_as(Role.TRAINING_LEAD).get(url).status_code == 404


def test_the_export_keeps_a_constant_number_of_queries(client_as, world, two_versions):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("findings:instrument_export", kwargs={"cohort_pk": world.cohort.pk, "family": "trainee-interview"})
    stage = two_versions["second"].stage
    tool = two_versions["second"].instrument

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # the first request after signing in also saves the session (core.sessions)
    small = queries()
    for _ in range(15):
        f.interview(stage, tool, enrolment=f.enrolment(world), interviewer=world.person(Role.TRAINING_LEAD),
                    answers={"why_applied": "x", "confidence": 3, "study_time": "yes"})
    # The request's 3 (session, user, memberships); the cohort; the family's instruments and
    # their questions; the interviews with their people; the answers: 8.
    assert small == queries() == 8
