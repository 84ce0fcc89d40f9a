"""Demo delegation: Elm House Nursing Home runs a programme for its care workers to take on
delegated healthcare tasks, with Eastvale Community Health NHS Trust's district nursing team as
partner (asked by Elm House, accepted by Eastvale). The district nurse, Joanne Price, a
registered practitioner, assesses the care workers for the tasks the partnership names, signs
them off, delegates insulin administration and blood glucose monitoring, and logs supervision.

After shared/domain DELEGATION-AND-CREDENTIALS (seed 001, 004): the registered professional
decides to delegate and stays accountable; the worker is trained, assessed, accepts the task and
is supervised; competence is reassessed yearly.

Runs after ``seed_competencies()``. Everything goes through the services, so it is audited.
Idempotent: each piece is looked up before it is made.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from competencies.evidence.services import evidence_submit
from competencies.frameworks import moodle_csv
from competencies.frameworks.services import FrameworkDetails, framework_import
from competencies.models import Evidence, Framework, RoleProfileItem
from competencies.profiles.services import role_profile_add, role_profile_get_or_create
from programmes import services as programme_services
from programmes.models import Membership, Organisation, Partnership, Programme, Role
from trainees import services as trainee_services
from trainees.models import Trainee

from . import services
from .models import Delegation, PractitionerRegistration, SupervisionContact

User = get_user_model()
FRAMEWORK_ID = "ELM-DHT"
SCALE = moodle_csv.Scale(
    values=("Not yet competent", "Competent"),
    configuration=(
        moodle_csv.ScaleItemConfig(id=1, scale_default=True),
        moodle_csv.ScaleItemConfig(id=2, proficient=True),
    ),
)
TASKS = (
    (
        "DHT1",
        "Insulin administration",
        "Gives prescribed insulin by pen device, checks blood glucose first, records it and escalates.",
    ),
    (
        "DHT2",
        "Capillary blood glucose monitoring",
        "Measures and records capillary blood glucose and acts on the agreed thresholds.",
    ),
    ("DHT3", "Pressure area care", "Checks skin integrity, repositions, and reports early signs of damage."),
    ("DHT4", "Eye drop administration", "Gives prescribed eye drops safely and hygienically."),
)
PROGRAMME_TITLE = "Care workers taking on delegated healthcare tasks"


def _user(username: str):
    return User.objects.get(username=username)


def _membership(username: str, slug: str, role: str) -> Membership:
    return Membership.objects.select_related("user", "organisation").get(
        user__username=username, organisation__slug=slug, role=role
    )


def _framework(organisation: Organisation, lead):
    framework = Framework.objects.filter(organisation=organisation, id_number=FRAMEWORK_ID).first()
    if framework is None:
        parsed = moodle_csv.ParsedFramework(
            framework=moodle_csv.Framework(
                id_number=FRAMEWORK_ID,
                short_name="Delegated healthcare tasks in care homes",
                description="Tasks district nurses delegate to Elm House's care workers.",
                description_format=moodle_csv.FORMAT_PLAIN,
                scale=SCALE,
                taxonomies=("competency",),
            ),
            competencies=tuple(
                moodle_csv.Competency(
                    id_number=code, short_name=name, description=text,
                    description_format=moodle_csv.FORMAT_PLAIN,
                )
                for code, name, text in TASKS
            ),
        )
        framework = framework_import(
            parsed=parsed, organisation=organisation, actor=lead,
            details=FrameworkDetails(
                family="elm-house-dht", version="1", source="Elm House and Eastvale district nursing",
                source_note="Demo data: written for Ladder's demonstration.",
            ),
        )
        # No service sets the delegated-task flag yet (as in competencies.demo).
        framework.competencies.update(is_delegated_task=True, reassessment_months=12)
    return {c.id_number: c for c in framework.competencies.select_related("framework__scale", "scale")}


@transaction.atomic
def seed_delegation() -> None:
    today = timezone.localdate()
    elm = Organisation.objects.get(slug="elm-house")
    eastvale = Organisation.objects.get(slug="eastvale")
    lead, east_lead = _user("lead.elmhouse"), _user("lead.eastvale")
    nurse = _membership("nurse.eastvale", "eastvale", Role.MENTOR)
    manager = _user("manager.elmhouse")
    services.practitioner_register(
        membership=nurse, profession="District nurse",
        register=PractitionerRegistration.Register.NMC, registration_number="09A1234E",
        expires_on=today.replace(year=today.year + 1, day=1), actor=east_lead,
    )
    tasks = _framework(elm, lead)

    programme = Programme.objects.filter(organisation=elm, title=PROGRAMME_TITLE).first()
    if programme is None:
        home = programme_services.clinical_area_ensure(organisation=elm, name="Elm House", setting="Nursing home")
        programme = programme_services.programme_create(
            organisation=elm, title=PROGRAMME_TITLE, setting="Nursing home",
            description=(
                "Senior care workers trained, assessed and supervised by the district nursing "
                "team to take on delegated healthcare tasks for residents."
            ),
            clinical_areas=[home], status=Programme.Status.RUNNING,
            intended_benefits=[
                "Residents get insulin on time without waiting for a district nurse visit",
                "District nurses' visits focus on what needs a registered nurse",
            ],
        )
        cohort = programme_services.cohort_create(
            programme=programme, name="Cohort 1", starts_on=today - timedelta(days=120),
            ends_on=today + timedelta(days=245),
        )
        profile = role_profile_get_or_create(programme)
        role_profile_add(profile=profile, competencies=list(tasks.values()),
                         kind=RoleProfileItem.Kind.ROLE_SPECIFIC, target_level=1)
        for n, username in enumerate(("carer.elmhouse", "carer2.elmhouse"), start=1):
            user = _user(username)
            trainee = trainee_services.trainee_create(
                organisation=elm, actor=lead, first_name=user.first_name, last_name=user.last_name,
                email=user.email, employee_number=f"EH{n:03d}", job_title="Care worker",
                clinical_area=home, line_manager=manager, user=user,
            )
            trainee_services.enrolment_create(
                trainee=trainee, cohort=cohort, actor=lead, enrolled_on=cohort.starts_on, status="active"
            )

    partnership = Partnership.objects.filter(programme=programme, organisation=eastvale).first()
    if partnership is None:
        partnership = programme_services.partnership_propose(
            programme=programme, organisation=eastvale, actor=lead,
            purpose="District nurses assess our care workers and delegate insulin and blood glucose monitoring.",
        )
        partnership = programme_services.partnership_accept(partnership=partnership, actor=east_lead)
        services.partnership_competencies_set(
            partnership=partnership, competencies=[tasks["DHT1"], tasks["DHT2"]], actor=lead
        )

    aisha = Trainee.objects.get(organisation=elm, user__username="carer.elmhouse")
    ben = Trainee.objects.get(organisation=elm, user__username="carer2.elmhouse")
    for trainee, task, signed in (
        (aisha, "DHT1", True), (aisha, "DHT2", True), (ben, "DHT2", True), (ben, "DHT1", False)
    ):
        title = f"{tasks[task].short_name}: observed practice"
        if Evidence.objects.filter(trainee=trainee, title=title).exists():
            continue
        evidence = evidence_submit(
            trainee=trainee, actor=trainee.user, title=title, kind=Evidence.Kind.OBSERVATION,
            occurred_on=today - timedelta(days=30), competencies=[tasks[task]],
            description="Observed by the district nurse on three occasions in the home.",
        )
        if signed:
            services.partner_evidence_sign_off(
                evidence=evidence, membership=nurse, levels={tasks[task].pk: 1},
                comment="Safe and confident; knows when to escalate.",
            )

    if not Delegation.objects.filter(trainee=aisha, competency=tasks["DHT1"]).exists():
        insulin = services.delegation_create(
            membership=nurse, trainee=aisha, competency=tasks["DHT1"],
            setting="Elm House Nursing Home: residents with insulin-treated diabetes",
            starts_on=today - timedelta(days=21), supervision=Delegation.Supervision.REMOTE,
            supervision_detail="District nursing hub by phone 8am-8pm; a district nurse visits weekly.",
            review_on=today + timedelta(days=70),
        )
        services.delegation_acknowledge(delegation=insulin, actor=aisha.user)
        for days, mode, observed, concerns in (
            (
                14,
                SupervisionContact.Mode.DIRECT,
                "Checked blood glucose and gave insulin by pen; records complete.",
                "",
            ),
            (
                7,
                SupervisionContact.Mode.REMOTE,
                "Phoned about a low reading (3.8): withheld and escalated correctly.",
                "Hypo box was not restocked: home manager told.",
            ),
        ):
            services.supervision_contact_record(
                delegation=insulin, membership=nurse, occurred_on=today - timedelta(days=days),
                mode=mode, observed=observed, concerns=concerns,
            )
    if not Delegation.objects.filter(trainee=ben, competency=tasks["DHT2"]).exists():
        services.delegation_create(
            membership=nurse, trainee=ben, competency=tasks["DHT2"],
            setting="Elm House Nursing Home: first floor", starts_on=today,
            supervision=Delegation.Supervision.PERIODIC,
            supervision_detail="Fortnightly review visit by the district nurse.",
            review_on=today + timedelta(days=90),
        )
