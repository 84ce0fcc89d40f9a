"""Who may use the REST API (/api/v1/), its schema and docs, and the API token pages.

The walk signs in with the session (tokens act exactly like it: tests/api/test_api_access.py).
Anonymous callers get 401 everywhere in the API. Lists are scoped, so every role gets 200 (the
outsider sees their own organisation's rows); evaluation findings (stages, audits, satisfaction)
are for training leads and planners only (403 for the other roles). Object URLs point at Acme's
records, so the outsider gets 404. Actions are POST only: a GET gets 405 from those allowed to
reach the object.
"""

from dataclasses import replace

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, SIGNED_IN, Entry

UNAUTHORISED = 401
LEAD, PLANNER, MANAGER = Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER
READERS = (LEAD, PLANNER)


# --- Acme's objects, built from the test world (also used by tests/api) -------------------------


def own_framework(world, id_number: str = "ACME-API"):
    from competencies.models import Competency, Framework, Scale

    existing = Framework.objects.filter(
        organisation=world.organisation, id_number=id_number
    ).first()
    if existing:
        return existing
    scale = Scale.objects.create(
        name="Not yet, Competent",
        levels=[
            {"name": "Not yet", "proficient": False},
            {"name": "Competent", "proficient": True},
        ],
    )
    framework = Framework.objects.create(
        organisation=world.organisation, id_number=id_number, short_name="Acme's own", scale=scale
    )
    Competency.objects.create(
        framework=framework, id_number=f"{id_number}-1", short_name="Observations"
    )
    return framework


def evidence(world):
    from datetime import date

    from competencies.evidence import services

    competency = own_framework(world).competencies.get()
    return services.evidence_submit(
        trainee=world.trainee,
        actor=world.person(Role.TRAINEE),
        title="Observed NEWS2",
        kind="observation",
        occurred_on=date(2026, 3, 2),
        description="Took and recorded NEWS2.",
        competencies=[competency],
    )


def profile_item(world):
    from competencies.profiles import services

    profile = services.role_profile_get_or_create(world.programme)
    return services.role_profile_add(
        profile=profile, competencies=[own_framework(world).competencies.get()], kind="core"
    )[0]


def midway_stage(world, *, opened: bool = True):
    from evaluations.interviews import services

    lead = world.person(LEAD)
    stage = services.stages_create_defaults(cohort=world.cohort, actor=lead)[1]
    if opened:
        services.stage_open(stage=stage, actor=lead)
    return stage


def manager_interview(world):
    return midway_stage(world).interviews.get(subject="manager")


def audit_round(world):
    from datetime import date

    from evaluations.findings import services

    tool = services.audit_tools_ensure_defaults(organisation=world.organisation)
    return services.audit_round_record(
        programme=world.programme,
        tool=tool,
        clinical_area=world.ward,
        stage_name="Start",
        held_on=date(2026, 2, 1),
        records_sampled=10,
        results={c.pk: 5 for c in tool.criteria.all()},
        actor=world.person(LEAD),
    )


def satisfaction_result(world):
    from datetime import date
    from decimal import Decimal

    from evaluations.findings import services

    return services.satisfaction_record(
        programme=world.programme,
        actor=world.person(LEAD),
        item=services.SatisfactionInput(
            clinical_area=world.ward,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            responses=40,
            score=Decimal("82.5"),
        ),
    )


def finished_job(world):
    from reports import services
    from reports.models import ReportJob

    job = ReportJob.objects.create(
        organisation=world.organisation,
        kind=ReportJob.Kind.CASE_STUDY,
        programme=world.programme,
        requested_by=world.person(LEAD),
    )
    services.job_finish(
        job_id=job.pk, content=b"%PDF-1.7 test", file_name="case-study.pdf", page_count=1
    )
    return job


def self_assessment(world):
    from competencies.assessment.services import Rating, self_assessment_submit

    competency = own_framework(world).competencies.get()
    return self_assessment_submit(
        trainee=world.trainee, actor=world.person(Role.TRAINEE), ratings=[Rating(competency, 1)]
    )[0]


# What each detail route points at: name -> world -> object of Acme's.
OBJECTS = {
    "organisation": lambda w: w.organisation,
    "programme": lambda w: w.programme,
    "milestone": lambda w: w.milestone,
    "cohort": lambda w: w.cohort,
    "trainee": lambda w: w.trainee,
    "enrolment": lambda w: w.enrolment,
    "framework": own_framework,
    "competency": lambda w: own_framework(w).competencies.get(),
    "role-profile-item": profile_item,
    "evidence": evidence,
    "stage": lambda w: midway_stage(w, opened=False),
    "interview": manager_interview,
    "audit-round": audit_round,
    "satisfaction-result": satisfaction_result,
    "report-job": finished_job,
    "self-assessment": self_assessment,
}


def _pk_of(basename):
    return lambda world: {"pk": OBJECTS[basename](world).pk}


def _api(members=OK, outsider=OK, roles=None, kwargs=None) -> Entry:
    return Entry(
        anonymous=UNAUTHORISED, members=members, outsider=outsider, roles=roles or {}, kwargs=kwargs
    )


def _readers_only(ok=OK, outsider=OK, kwargs=None) -> Entry:
    return _api(members=FORBIDDEN, outsider=outsider, roles={LEAD: ok, PLANNER: ok}, kwargs=kwargs)


EVERYONE = (
    "organisation",
    "programme",
    "milestone",
    "cohort",
    "trainee",
    "enrolment",
    "framework",
    "competency",
    "role-profile-item",
    "evidence",
    "self-assessment",
)
LISTS_FOR_EVERYONE = (
    *EVERYONE, "contract-signature", "study-session", "interview", "report-job", "attainment",
    "credential", "partnership", "delegation",
)
FINDINGS = ("stage", "audit-round", "satisfaction-result")

ENTRIES: dict[str, Entry] = {
    "api:schema": _api(),
    "api:docs": _api(),
    "api_tokens:list": SIGNED_IN,
    "api_tokens:revoke": Entry(
        anonymous=REDIRECT,
        members=NOT_ALLOWED,
        outsider=NOT_ALLOWED,
        kwargs=lambda world: {"pk": 1},
    ),
    **{f"api:{name}-list": _api() for name in LISTS_FOR_EVERYONE},
    **{f"api:{name}-list": _readers_only() for name in (*FINDINGS, "audit-tool")},
    **{f"api:{name}-detail": _api(outsider=NOT_FOUND, kwargs=_pk_of(name)) for name in EVERYONE},
    **{
        f"api:{name}-detail": _readers_only(outsider=NOT_FOUND, kwargs=_pk_of(name))
        for name in FINDINGS
    },
    # Interviews: leads and planners, and the manager (it is theirs); nobody else sees it.
    "api:interview-detail": _api(
        members=NOT_FOUND,
        outsider=NOT_FOUND,
        roles={LEAD: OK, PLANNER: OK, MANAGER: OK},
        kwargs=_pk_of("interview"),
    ),
    # Report jobs: the organisation's leads and planners, and whoever asked for them.
    "api:report-job-detail": _api(
        members=NOT_FOUND,
        outsider=NOT_FOUND,
        roles={LEAD: OK, PLANNER: OK},
        kwargs=_pk_of("report-job"),
    ),
    "api:report-job-download": _api(
        members=NOT_FOUND,
        outsider=NOT_FOUND,
        roles={LEAD: OK, PLANNER: OK},
        kwargs=_pk_of("report-job"),
    ),
    # A programme's case-study narrative: read by those who may produce the case study (the
    # lead organisation's leads and planners); a partner sees the programme, not its case
    # study (403). The walk's GET never writes.
    "api:programme-case-study": replace(
        _readers_only(outsider=NOT_FOUND, kwargs=_pk_of("programme")), partner=FORBIDDEN
    ),
    # Actions: POST only.
    "api:enrolment-transition": _api(
        members=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_pk_of("enrolment")
    ),
    "api:evidence-sign-off": _api(
        members=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_pk_of("evidence")
    ),
    "api:evidence-return-to-trainee": _api(
        members=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_pk_of("evidence")
    ),
    "api:interview-record": _api(
        members=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_pk_of("interview")
    ),
    "api:framework-import-csv": _api(members=NOT_ALLOWED, outsider=NOT_ALLOWED),
    "api:self-assessment-confirm": _api(
        members=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_pk_of("self-assessment")
    ),
    "api:stage-defaults": _readers_only(ok=NOT_ALLOWED, outsider=NOT_ALLOWED),
    "api:stage-open": _readers_only(ok=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_pk_of("stage")),
    "api:stage-close": _readers_only(ok=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_pk_of("stage")),
}
