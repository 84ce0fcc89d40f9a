"""Every API list keeps a constant number of queries as the data grows: each list is read (one
page of up to 100 rows) with a token at a small and at a larger size of every kind of row."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies.assessment import services as assessment_services
from competencies.evidence import services as evidence_services
from competencies.models import Competency
from competencies.profiles import services as profile_services
from credentials import services as credential_services
from delegation import services as delegation_services
from evaluations.findings import services as findings_services
from evaluations.interviews import services as interview_services
from programmes import services
from programmes.models import Organisation, Role
from reports.models import ReportJob
from tests.conftest import partner_with
from trainees import services as trainee_services

from ..access_entries.api import own_framework
from ..credentials.helpers import delegated_task
from ..delegation.factories import register
from ..evidence.factories import sign_off, submit
from ..trainees.helpers import add_history, add_trainee
from .conftest import client_with_token, token_for

pytestmark = pytest.mark.django_db

# The queries of each list with a token (a lead's), whatever the number of rows:
#   the token (1), the count for pagination (1), the page (1), then one per prefetched relation.
EXPECTED = {
    "organisations": 3,
    "programmes": 5,  # + partners, clinical areas
    "milestones": 3,
    "cohorts": 4,  # + lecturers
    "trainees": 3,
    "enrolments": 3,  # + the visible cohort ids, - the count, which comes with the page (CountedPagination)
    "contract-signatures": 4,  # + the visible cohort ids
    "study-sessions": 4,  # + the visible cohort ids
    "frameworks": 3,
    "competencies": 3,
    "role-profile-items": 3,
    "evidence": 4,  # + claims
    "stages": 3,
    "interviews": 5,  # + answers, questions
    "audit-tools": 8,  # + criteria, and the lead's check that the default tool exists (5)
    "audit-rounds": 4,  # + results
    "satisfaction-results": 3,
    "report-jobs": 3,
    "credentials": 3,
    "partnerships": 4,  # + the competencies each names
    "delegations": 3,
    "attainments": 4,  # + every version of the trainees on the page (the history)
    "self-assessments": 4,  # + evidence
}


class Grower:
    """Adds n of every kind of row an API list shows, through the services."""

    def __init__(self, world):
        self.world = world
        self.lead = world.person(Role.TRAINING_LEAD)
        self.framework = own_framework(world)
        self.profile = profile_services.role_profile_get_or_create(world.programme)
        self.tool = findings_services.audit_tools_ensure_defaults(organisation=world.organisation)
        self.made = 0
        self.practitioner = register(world.person(Role.MENTOR), world.organisation, profession="Registered nurse")

    def grow_to(self, n: int) -> None:
        world, lead = self.world, self.lead
        for i in range(self.made, n):
            partner = services.organisation_ensure(
                slug=f"partner-{i}", name=f"Partner {i}", kind=Organisation.Kind.CARE_PROVIDER
            )
            area = services.clinical_area_ensure(organisation=world.organisation, name=f"Ward {i}")
            programme = services.programme_create(
                organisation=world.organisation,
                title=f"Programme {i}",
                clinical_areas=[area],
            )
            partner_with(programme, partner)
            services.milestone_create(
                programme=world.programme,
                title=f"Step {i}",
                due_on=date(2026, 1, 1) + timedelta(days=i),
            )
            cohort = services.cohort_create(
                programme=world.programme,
                name=f"Cohort {i + 2}",
                starts_on=date(2026, 1, 5),
                ends_on=date(2027, 12, 17),
                lecturers=[world.person(Role.LECTURER)],
            )
            interview_services.stages_create_defaults(cohort=cohort, actor=lead)
            _, enrolment = add_trainee(
                world,
                first_name=f"Trainee{i:02d}",
                last_name="Grown",
                employee_number=f"G{i:03d}",
                line_manager=world.person(Role.MANAGER),
                mentor=world.person(Role.MENTOR),
            )
            add_history(world, enrolment, sessions=2, reviews=0)
            trainee_services.contract_sign(
                contract=enrolment.contract,
                party="manager",
                user=world.person(Role.MANAGER),
                allowed_parties={"manager"},
            )
            own_framework(world, id_number=f"ACME-GROWN-{i}")
            competency = Competency.objects.create(
                framework=self.framework,
                id_number=f"ACME-API-G{i}",
                short_name=f"Grown {i}",
                sort_order=i + 1,
            )
            profile_services.role_profile_add(
                profile=self.profile, competencies=[competency], kind="core"
            )
            evidence = evidence_services.evidence_submit(
                trainee=world.trainee,
                actor=world.person(Role.TRAINEE),
                title=f"Evidence {i}",
                kind="observation",
                occurred_on=date(2026, 3, 2),
                description="Observed.",
                competencies=[competency],
            )
            if i % 2:  # half signed off: versions of attainment
                evidence_services.evidence_sign_off(
                    evidence=evidence, assessor=world.person(Role.MENTOR), levels={competency.pk: 1}
                )
            assessment_services.self_assessment_submit(
                trainee=world.trainee, actor=world.person(Role.TRAINEE),
                ratings=[assessment_services.Rating(competency, 1)], evidence=[evidence],
            )
            findings_services.audit_tool_create(
                organisation=world.organisation,
                name=f"Audit {i}",
                criteria=[f"Criterion {i}a", f"Criterion {i}b"],
            )
            findings_services.audit_round_record(
                programme=world.programme,
                tool=self.tool,
                clinical_area=world.ward,
                stage_name="Start",
                held_on=date(2026, 2, 1),
                records_sampled=10,
                results={c.pk: 5 for c in self.tool.criteria.all()},
                actor=lead,
            )
            findings_services.satisfaction_record(
                programme=world.programme,
                actor=lead,
                item=findings_services.SatisfactionInput(
                    clinical_area=world.ward,
                    period_start=date(2025, 1, 1) + timedelta(days=7 * i),
                    period_end=date(2025, 1, 6) + timedelta(days=7 * i),
                    responses=20,
                    score=Decimal("80"),
                ),
            )
            ReportJob.objects.create(
                organisation=world.organisation,
                kind=ReportJob.Kind.CASE_STUDY,
                programme=world.programme,
                requested_by=lead,
            )
            task = delegated_task(world, name=f"Task {i}", code=f"DT{i}", profile=False)
            sign_off(submit(world.trainee, [task]), {task.pk: 1})
            credential_services.credential_issue_for_competency(trainee=world.trainee, competency=task)
            delegation_services.delegation_create(
                membership=self.practitioner, trainee=world.trainee, competency=task,
                setting=f"Ward {i}", starts_on=date.today(), supervision="direct",
                supervision_detail="On shift", review_on=date.today() + timedelta(days=90),
            )
        self.made = n
        # Interviews: the mid-way stage of the world's cohort, opened again as trainees join,
        # with a draft answer to each.
        stage = interview_services.stages_create_defaults(cohort=world.cohort, actor=lead)[1]
        interview_services.stage_open(stage=stage, actor=lead)
        for interview in stage.interviews.filter(status="due"):
            question = interview.instrument.questions.order_by("order").first()
            interview_services.interview_save(
                interview=interview,
                actor=lead,
                answers={
                    question.key: "4"
                    if question.kind == "scale"
                    else "yes"
                    if question.kind == "yes_no"
                    else "Notes"
                },
            )


def _queries(api, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    return len(ctx.captured_queries), response.json()["count"]


def test_every_list_has_a_pinned_count():
    from ..access_entries.api import ENTRIES

    lists = {name[len("api:") : -len("-list")] for name in ENTRIES if name.endswith("-list")}
    plural = {
        name: name if name.endswith("s") or name == "evidence" else name + "s" for name in lists
    }
    plural["competency"] = "competencies"
    assert set(plural.values()) == set(EXPECTED)


def test_api_lists_keep_a_constant_query_count_as_data_grows(world, monkeypatch):
    # The token's last use is written at most once a minute: growing the data may take longer,
    # and that write is not the list's.
    monkeypatch.setattr("api.tokens.LAST_USED_RESOLUTION", timedelta(days=1))
    grower = Grower(world)
    api = client_with_token(token_for(world.person(Role.TRAINING_LEAD)))
    api.get("/api/v1/programmes/")  # the token's first use records when (once a minute at most)
    measured = {}
    for size in (3, 15):
        grower.grow_to(size)
        for name in EXPECTED:
            count, rows = _queries(api, f"/api/v1/{name}/?page_size=100")
            measured.setdefault(name, []).append((count, rows))
    wrong = {
        name: sizes
        for name, sizes in measured.items()
        if {count for count, _ in sizes} != {EXPECTED[name]} or sizes[0][1] >= sizes[1][1]
    }
    assert not wrong, f"(queries, rows) at the two sizes, where not as pinned or not grown: {wrong}"
