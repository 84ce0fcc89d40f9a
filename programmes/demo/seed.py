"""Loads the demo organisations, people and programmes through the app's own services.
Idempotent: every step ensures rather than creates, so running it twice changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from programmes import services
from programmes.models import Cohort, Programme

from .people import DEMO_PASSWORD, ORGANISATIONS, PEOPLE, SUPERUSER


def seed_people() -> None:
    organisations = {
        org.slug: services.organisation_ensure(
            slug=org.slug, name=org.name, kind=org.kind, description=org.description
        )
        for org in ORGANISATIONS
    }
    for person in PEOPLE:
        user = services.person_ensure(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@example.org",
            password=DEMO_PASSWORD,
        )
        services.membership_grant(
            user=user, organisation=organisations[person.organisation], role=person.role
        )
    admin = services.person_ensure(
        username=SUPERUSER, first_name="Ladder", last_name="Administrator",
        email="admin@example.org", password=DEMO_PASSWORD,
    )
    if not (admin.is_staff and admin.is_superuser):
        get_user_model().objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _org(slug: str):
    from programmes.models import Organisation

    return Organisation.objects.get(slug=slug)


# The inpatient assistant practitioner programme, after account 003 in shared/domain: about 15
# months from planning to implementation, a two-year foundation degree with a university.
WESTMOOR_MILESTONES = (
    ("Project team formed, with service-user and carer representation", -1020, -1015),
    ("Role mapped against drivers and standards (NOS, KSF, Roth and Pilling)", -960, -950),
    ("Core and role-specific competencies agreed by clinicians", -900, -905),
    ("Organisational code of practice agreed with staff side and the RCN", -840, -820),
    ("Foundation degree in mental health validated with Westmoor University", -780, -790),
    ("Trainees recruited to cohort 1", -720, -715),
    ("Cohort 1 qualifies", -130, -128),
    ("Cohort 2 starts", -80, -80),
    ("Evaluation report published (case study)", 40, None),
)

HIGHMOOR_MILESTONES = (
    ("Stakeholder workshops in the three clinical areas", -420, -418),
    ("Existing education mapped; gaps identified", -360, -330),
    ("Study skills sessions before the programme starts", -280, -275),
    ("Pilot cohort starts", -260, -260),
    ("Mid-point evaluation", -90, None),
    ("Decision on rolling out to further areas", 60, None),
)


def seed_programmes() -> None:
    today = timezone.localdate()
    westmoor, highmoor = _org("westmoor"), _org("highmoor")
    university = _org("westmoor-university")

    wards = [services.clinical_area_ensure(organisation=westmoor, name=name, setting="Inpatient mental health")
             for name in ("Larch Ward", "Rowan Ward", "Willow Ward (PICU)")]
    ap = Programme.objects.filter(organisation=westmoor, title="Inpatient assistant practitioner").first()
    if ap is None:
        ap = services.programme_create(
            organisation=westmoor,
            title="Inpatient assistant practitioner",
            description=(
                "A band 4 assistant practitioner role for inpatient mental health wards, focused "
                "on service users' physical healthcare and access to therapeutic activities."
            ),
            setting="Inpatient mental health",
            clinical_areas=wards,
            intended_benefits=[
                "Improve inpatient service users' access to physical healthcare",
                "Improve service users' access to therapeutic activities on the ward",
                "Enhanced multi-disciplinary team working based on clarity of role responsibilities",
                "Enable registered staff to focus on using their higher-level skills",
                "A clear career pathway for the band 1 to 4 workforce into assistant practitioner and nursing roles",
            ],
            education_route=Programme.EducationRoute.FOUNDATION_DEGREE,
            education_detail="Foundation degree in mental health (two years), Westmoor University",
            funding_source="Strategic health authority workforce development fund",
            drivers_and_standards=[
                "Skills for Health national occupational standards (NOS)",
                "NHS Knowledge and Skills Framework",
                "Roth and Pilling psychological therapy competences",
                "NMC standards of proficiency and skills clusters",
                "CQC mental health inpatient discharge surveys",
            ],
            status=Programme.Status.ESTABLISHED,
        )
        for title, due, done in WESTMOOR_MILESTONES:
            services.milestone_create(
                programme=ap, title=title, due_on=today + timedelta(days=due),
                done_on=today + timedelta(days=done) if done is not None else None,
            )
    services.partnership_ensure_accepted(
        programme=ap, organisation=university,
        purpose="Westmoor University teaches the foundation degree to each cohort.",
    )
    lecturers = [_user("lecturer.westmoor"), _user("lecturer.uni")]
    _cohort(ap, 1, "Cohort 1", today - timedelta(days=720), today - timedelta(days=130), 7.5, lecturers)
    _cohort(ap, 2, "Cohort 2", today - timedelta(days=80), today + timedelta(days=650), 7.5, lecturers)

    areas = [services.clinical_area_ensure(organisation=highmoor, name=name, setting="Rehabilitation")
             for name in ("Stroke rehabilitation unit", "Orthopaedic rehabilitation ward",
                          "Medicine of the elderly")]
    hcsw = Programme.objects.filter(organisation=highmoor, title="Generic clinical HCSW pilot").first()
    if hcsw is None:
        hcsw = services.programme_create(
            organisation=highmoor,
            title="Generic clinical HCSW pilot",
            description=(
                "Existing healthcare support workers develop into a generic clinical role that "
                "supports rehabilitation as part of each person's daily routine."
            ),
            setting="Inpatient rehabilitation",
            clinical_areas=areas,
            intended_benefits=[
                "Person-centred support for rehabilitation within the daily routine",
                "Registered staff freed to use their specialist skills",
                "A development route for existing HCSWs",
            ],
            education_route=Programme.EducationRoute.IN_HOUSE,
            education_detail="In-house programme reusing existing modules, with new teaching for the gaps",
            funding_source="Health board workforce development budget",
            drivers_and_standards=["Care Certificate standards", "NHS Knowledge and Skills Framework"],
            status=Programme.Status.RUNNING,
        )
        for title, due, done in HIGHMOOR_MILESTONES:
            services.milestone_create(
                programme=hcsw, title=title, due_on=today + timedelta(days=due),
                done_on=today + timedelta(days=done) if done is not None else None,
            )
    _cohort(hcsw, 1, "Pilot cohort", today - timedelta(days=260), today + timedelta(days=105), 4,
            [_user("lecturer.highmoor")])


def _cohort(programme, intake: int, name: str, starts: date, ends: date, hours, lecturers) -> Cohort:
    cohort = programme.cohorts.filter(intake_number=intake).first()
    if cohort is None:
        cohort = services.cohort_create(
            programme=programme, name=name, intake_number=intake, starts_on=starts,
            ends_on=ends, study_hours_per_week=hours, lecturers=lecturers,
        )
    return cohort
