"""GET /api/v1/attainments/ and the self-assessment endpoints, with tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.assessment import services as assessment
from competencies.evidence import services as evidence_services
from competencies.models import RoleProfileItem
from programmes.models import Role
from trainees import services as trainee_services

from ..evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(world):
    framework = make_framework(short_name="Delegated healthcare tasks", levels=FOUR_LEVELS)
    competency = make_competency(framework, "Venepuncture", id_number="DT1", is_delegated_task=True)
    make_profile(world.programme, [(competency, 2, RoleProfileItem.Kind.ROLE_SPECIFIC)])
    return competency


def _backdate(evidence, days: int):
    moment = timezone.now() - timedelta(days=days)
    evidence_services.decisions_backdate(evidence=evidence, decided_at=moment)


def test_attainments_have_level_status_valid_until_and_history(api_as, world, task):
    first = sign_off(submit(world.trainee, [task], title="First"), {task.pk: 2})
    _backdate(first, 400)
    sign_off(submit(world.trainee, [task], title="Again"), {task.pk: 3})
    assessment.attainment_withdraw(
        trainee=world.trainee, competency=task, actor=world.person(Role.MENTOR), reason="Incident"
    )
    body = api_as(Role.TRAINING_LEAD).get("/api/v1/attainments/", {"trainee": world.trainee.pk}).json()
    [item] = body["results"]
    assert (item["competency"], item["level"], item["status"], item["attained"]) == (task.pk, 3, "withdrawn", False)
    assert [v["kind"] for v in item["history"]] == ["withdrawn", "signed_off", "signed_off"]
    assert [v["level"] for v in item["history"]] == [3, 3, 2]


def test_expired_attainment_is_filtered_by_status_and_not_attained(api_as, world, task):
    _backdate(sign_off(submit(world.trainee, [task]), {task.pk: 2}), 400)
    client = api_as(Role.MANAGER)
    expired = client.get("/api/v1/attainments/", {"status": "expired"}).json()["results"]
    assert [(i["status"], i["attained"]) for i in expired] == [("expired", False)]
    assert client.get("/api/v1/attainments/", {"status": "current"}).json()["results"] == []
    assert client.get("/api/v1/attainments/", {"status": "nonsense"}).status_code == 400


def test_a_trainee_posts_a_self_assessment_and_their_assessor_confirms_it(api_as, world, task):
    trainee_client = api_as(Role.TRAINEE)
    created = trainee_client.post(
        "/api/v1/self-assessments/", {"competency": task.pk, "level": 3, "confidence": "Often"}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    # The trainee cannot confirm their own.
    assert (
        trainee_client.post(f"/api/v1/self-assessments/{pk}/confirm/", {"level": 3}, format="json").status_code == 403
    )
    mentor = api_as(Role.MENTOR)
    pending = mentor.get("/api/v1/self-assessments/", {"status": "pending"}).json()["results"]
    assert [p["id"] for p in pending] == [pk]
    confirmed = mentor.post(f"/api/v1/self-assessments/{pk}/confirm/", {"level": 3}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    [item] = mentor.get("/api/v1/attainments/", {"competency": task.pk}).json()["results"]
    assert (item["status"], item["history"][0]["statement"]) == ("current", "")  # the organisation set none
    again = mentor.post(f"/api/v1/self-assessments/{pk}/confirm/", {"level": 3}, format="json")
    assert again.status_code == 400


STATEMENT = "I have observed the trainee perform this safely on at least three occasions."


@pytest.fixture
def statement(world):
    return assessment.assessment_policy_update(
        organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD),
        assessor_statement=STATEMENT, trainee_declaration="", delegated_task_validity_months=12,
    )


def _rate(api_as, task, level: int) -> str:
    created = api_as(Role.TRAINEE).post("/api/v1/self-assessments/", {"competency": task.pk, "level": level},
                                        format="json")
    assert created.status_code == 201, created.content
    return f"/api/v1/self-assessments/{created.json()['id']}/confirm/"


def test_a_client_reads_the_statement_it_asks_agree_to_from_the_organisation(api_as, world):
    mentor = api_as(Role.MENTOR)
    url = f"/api/v1/organisations/{world.organisation.pk}/"
    before = mentor.get(url).json()
    assert (before["assessor_statement"], before["trainee_declaration"]) == ("", "")  # none set yet
    assessment.assessment_policy_update(
        organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD),
        assessor_statement=STATEMENT, trainee_declaration="I have done this myself.", delegated_task_validity_months=12,
    )
    after = mentor.get(url).json()
    assert (after["assessor_statement"], after["trainee_declaration"]) == (STATEMENT, "I have done this myself.")
    [listed] = [o for o in mentor.get("/api/v1/organisations/").json()["results"] if o["id"] == world.organisation.pk]
    assert listed["assessor_statement"] == STATEMENT


def test_confirming_a_self_assessment_confirms_the_organisations_statement_as_it_reads(
    api_as, world, task, statement
):
    mentor = api_as(Role.MENTOR)
    url = _rate(api_as, task, 3)
    unconfirmed = mentor.post(url, {"level": 3}, format="json")
    assert unconfirmed.status_code == 400
    assert unconfirmed.json()["agree"] == ["Confirm the sign-off statement, or ask for more evidence instead"]
    own_words = mentor.post(url, {"level": 3, "agree": True, "statement": "Seen once, looked fine."}, format="json")
    assert own_words.status_code == 400 and "statement" in own_words.json()
    assert mentor.post(url, {"level": 3, "agree": False}, format="json").status_code == 400
    assert mentor.get(url.removesuffix("confirm/")).json()["status"] == "pending"  # nothing decided yet
    confirmed = mentor.post(url, {"level": 3, "agree": True}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    [item] = mentor.get("/api/v1/attainments/", {"competency": task.pk}).json()["results"]
    assert (item["history"][0]["kind"], item["history"][0]["statement"]) == ("confirmed", STATEMENT)


def test_progress_below_target_needs_no_statement_through_the_api(api_as, world, task, statement):
    mentor = api_as(Role.MENTOR)
    progress = mentor.post(_rate(api_as, task, 1), {"level": 1}, format="json")  # the target is 2
    assert progress.status_code == 200, progress.content
    [item] = mentor.get("/api/v1/attainments/", {"competency": task.pk}).json()["results"]
    assert (item["status"], item["history"][0]["kind"], item["history"][0]["statement"]) == (
        "below_target", "progress", ""
    )
    evidence = submit(world.trainee, [task], title="Below")
    below = mentor.post(f"/api/v1/evidence/{evidence.pk}/sign-off/", {"levels": {str(task.pk): 1}}, format="json")
    assert below.status_code == 200 and below.json()["status"] == "progress"


def test_signing_off_evidence_through_the_api_confirms_the_organisations_statement(api_as, world, task, statement):
    mentor = api_as(Role.MENTOR)
    evidence = submit(world.trainee, [task], title="Observed")
    url = f"/api/v1/evidence/{evidence.pk}/sign-off/"
    unconfirmed = mentor.post(url, {"levels": {str(task.pk): 2}}, format="json")
    assert unconfirmed.status_code == 400
    assert unconfirmed.json()["agree"] == [
        "Tick the box to confirm the sign-off statement, or record progress instead"
    ]
    assert mentor.get(f"/api/v1/evidence/{evidence.pk}/").json()["status"] == "submitted"
    signed = mentor.post(url, {"levels": {str(task.pk): 2}, "agree": True}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed_off"
    [item] = mentor.get("/api/v1/attainments/", {"competency": task.pk}).json()["results"]
    assert (item["history"][0]["kind"], item["history"][0]["statement"]) == ("signed_off", STATEMENT)


@pytest.mark.parametrize("size", [5, 15])
def test_the_attainments_list_costs_the_same_queries_at_any_size(api_as, world, task, size):
    lead, mentor = world.person(Role.TRAINING_LEAD), world.person(Role.MENTOR)
    for i in range(size):
        trainee = trainee_services.trainee_create(
            organisation=world.organisation,
            actor=lead,
            first_name=f"A{i}",
            last_name="Api",
            employee_number=f"A{i:04d}",
            mentor=mentor,
        )
        trainee_services.enrolment_create(trainee=trainee, cohort=world.cohort, actor=lead, status="active")
        sign_off(submit(trainee, [task], actor=lead, title="One"), {task.pk: 2}, assessor=mentor)
        sign_off(submit(trainee, [task], actor=lead, title="Two"), {task.pk: 3}, assessor=mentor)
    client = api_as(Role.TRAINING_LEAD)
    client.get("/api/v1/attainments/")  # the token is made on first use
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/attainments/", {"page_size": 100}).json()
    assert body["count"] == size
    # the token, the count, the page, the versions (prefetched)
    assert len(queries) == 4, "\n".join(q["sql"][:200] for q in queries.captured_queries)
