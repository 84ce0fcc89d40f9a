"""Demo competencies: Westmoor's own framework for its inpatient assistant practitioners, mapped
to the national frameworks, the foundation degree that covers part of it, the programme's role
profile, and the two cohorts' work-based evidence; Highmoor's generic clinical HCSW role
profile from the Care Certificate 2025 and a few NOS units, with the pilot's first sign-offs.

After shared/domain 003: the role's competencies were chosen by clinicians from the Skills for
Health NOS and mapped against the KSF; a two-year foundation degree with the local university
provides the education, its work-based learning giving evidence for the KSF appraisal.

Runs after ``seed_trainees()`` (people, the bundled national frameworks, programmes and
trainees exist). Everything goes through the app's services, attributed to the training lead,
the trainee or the mentor. Idempotent: the framework, mappings, course, profile items and each
piece of evidence (a trainee and a title) are only created when missing, so a second run
changes nothing.

Dates: the services stamp decisions with the current time; a demo covering two years would
show every sign-off as made today (and the completed cohort assessed after it finished). So
evidence just created has its bookkeeping times (created, updated, assessed, thread entries)
moved back to the day the story gives it, always within its cohort's dates and never in the
future. Delegation readiness counts reassessment from these sign-off dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from programmes.models import Cohort, Organisation, Programme
from trainees.models import Trainee

from .evidence.services import (
    decisions_backdate,
    evidence_reply,
    evidence_return,
    evidence_sign_off,
    evidence_submit,
)
from .frameworks import moodle_csv
from .frameworks.services import FrameworkDetails, framework_import
from .models import (
    Competency,
    Course,
    Evidence,
    EvidenceComment,
    Framework,
    Mapping,
    RoleProfileItem,
)
from .profiles.services import (
    course_create,
    mapping_create,
    role_profile_add,
    role_profile_get_or_create,
)

User = get_user_model()
K = Evidence.Kind

# --- Westmoor's own framework ----------------------------------------------------------------

WESTMOOR_FRAMEWORK_ID = "WESTMOOR-IAP"
WESTMOOR_SCALE = moodle_csv.Scale(
    values=("Not yet competent", "Competent under supervision", "Competent"),
    configuration=(
        moodle_csv.ScaleItemConfig(id=1, scale_default=True),
        moodle_csv.ScaleItemConfig(id=3, proficient=True),
    ),
)

# (ID number, short name, description, delegated task, reassessment months)
WESTMOOR_COMPETENCIES = (
    ("WM-IAP-01", "Physical health monitoring and NEWS2 escalation",
     "Takes and records routine physical observations (pulse, blood pressure, temperature, "
     "respiratory rate, oxygen saturation, weight), calculates the NEWS2 score and escalates "
     "a rising score to the nurse in charge, following the trust's physical health policy.",
     False, None),
    ("WM-IAP-02", "Planning and running therapeutic activities",
     "Plans, runs and evaluates individual and group therapeutic activities on the ward with "
     "service users, in line with their care plans and the ward's activity programme.",
     False, None),
    ("WM-IAP-03", "Supporting de-escalation",
     "Recognises early signs of distress and agitation, uses verbal and non-verbal "
     "de-escalation as part of the ward team, and takes part in debriefs after incidents.",
     False, None),
    ("WM-IAP-04", "Medicines support under delegation",
     "Supports the registered nurse on the medicines round (checking identity and allergies, "
     "encouraging concordance, observing for side effects and reporting them) as a delegated "
     "task, without administering medicines. Reassessed every year.",
     True, 12),
    ("WM-IAP-05", "Contributing to care planning and review",
     "Contributes observations and service users' views to care plans and ward reviews, and "
     "records care accurately in the electronic record.",
     False, None),
    ("WM-IAP-06", "Recovery-focused practice",
     "Works alongside service users on their own recovery goals, using a strengths-based, "
     "hopeful approach and involving carers where the person wishes.",
     False, None),
    ("WM-IAP-07", "Recording a 12-lead ECG",
     "Records a 12-lead ECG for service users on antipsychotic medication as a delegated task, "
     "recognising a poor trace and passing the recording to the doctor for interpretation.",
     True, None),
)

# Own competency -> national competency it corresponds to, how closely, and why.
WESTMOOR_MAPPINGS = (
    ("WM-IAP-01", "SFHCHS19", Mapping.Strength.EQUIVALENT,
     "Routine clinical measurements; NEWS2 escalation is the trust's addition."),
    ("WM-IAP-02", "KSF-HWB4-L2", Mapping.Strength.PARTIAL,
     "Enablement at level 2 covers supporting people's activities, not planning a programme."),
)

COURSE_NAME = "Foundation degree in mental health"
COURSE_PROVIDER = "Westmoor University"
COURSE_COVERS = ("WM-IAP-03", "WM-IAP-05", "WM-IAP-06", "CC2015-S9", "SFHPT05")

WESTMOOR_PROGRAMME = "Inpatient assistant practitioner"
WESTMOOR_SUMMARY = (
    "A band 4 assistant practitioner on an inpatient mental health ward. Core: the Care "
    "Certificate standards and the six KSF core dimensions. Role-specific: the trust's own "
    "inpatient assistant practitioner competencies (two of them delegated healthcare tasks) and "
    "the national occupational standards the clinicians chose in the mapping exercise."
)
WESTMOOR_CORE = (
    "CC2015-S1", "CC2015-S3", "CC2015-S5", "CC2015-S6", "CC2015-S7", "CC2015-S9", "CC2015-S10",
    "CC2015-S12", "CC2015-S15",
    "KSF-C1-L2", "KSF-C2-L2", "KSF-C3-L2", "KSF-C4-L1", "KSF-C5-L2", "KSF-C6-L2",
)
WESTMOOR_ROLE_SPECIFIC_NATIONAL = ("SFHCHS19", "SFHGEN97", "SFHPT05", "SFHCHS35")

# The work-based evidence of the programme: key -> (title, kind, description, competencies).
WESTMOOR_EVIDENCE = {
    "induction": (
        "Care Certificate workbook: my role, duty of care and equality", K.WORK_PRODUCT,
        "Completed the workbook for the standards on understanding my role, duty of care and "
        "equality and diversity, with examples from the ward.",
        ("CC2015-S1", "CC2015-S3", "KSF-C6-L2"),
    ),
    "one_to_one": (
        "Observed one-to-one time with a service user", K.OBSERVATION,
        "My mentor observed a planned one-to-one session: I agreed the time with the service "
        "user, used their preferred name, kept the conversation private and recorded it.",
        ("CC2015-S5", "CC2015-S6", "CC2015-S7", "KSF-C1-L2"),
    ),
    "safeguarding": (
        "Reflective account: raising a safeguarding concern", K.REFLECTIVE_ACCOUNT,
        "What I noticed during a visit, how I reported it to the nurse in charge the same "
        "shift, and what I learnt about the trust's safeguarding procedure and mental health.",
        ("CC2015-S9", "CC2015-S10"),
    ),
    "bls_ipc": (
        "Basic life support and infection control assessment", K.ASSESSMENT,
        "Passed the basic life support and first aid practical assessment and the infection "
        "prevention and control assessment, including hand hygiene and the ward's fire drill.",
        ("CC2015-S12", "CC2015-S15", "KSF-C3-L2", "SFHCHS35"),
    ),
    "news2": (
        "Observed physical health checks and NEWS2 escalation", K.OBSERVATION,
        "Observed taking a full set of observations for three service users, scoring NEWS2 and "
        "escalating a score of 5 to the nurse in charge, with the records made at the time.",
        ("WM-IAP-01", "SFHCHS19"),
    ),
    "activities": (
        "Planned and ran a weekly ward activity group", K.WORK_PRODUCT,
        "Session plans and evaluations for six weeks of a walking and cooking group, and the "
        "change to the activity timetable I proposed at the ward meeting.",
        ("WM-IAP-02", "KSF-C4-L1"),
    ),
    "de_escalation": (
        "Witness testimony: supporting de-escalation of an incident", K.WITNESS_TESTIMONY,
        "The nurse in charge describes how I helped de-escalate a service user's distress in "
        "the lounge, kept others safe and took part in the debrief.",
        ("WM-IAP-03", "SFHGEN97"),
    ),
    "medicines": (
        "Observed support on the medicines round", K.OBSERVATION,
        "Observed on the morning medicines round: checking identity and allergies with the "
        "registered nurse, encouraging concordance and reporting a possible side effect.",
        ("WM-IAP-04",),
    ),
    "care_plan": (
        "Contributions to care plan reviews", K.WORK_PRODUCT,
        "Entries I made for two service users' care plan reviews, with their views in their own "
        "words, and the audit of my record keeping.",
        ("WM-IAP-05", "KSF-C5-L2"),
    ),
    "recovery": (
        "Reflective account: working on a service user's recovery goals", K.REFLECTIVE_ACCOUNT,
        "How I built a working relationship with a service user and supported the recovery "
        "goals they chose, involving their sister as they asked.",
        ("WM-IAP-06", "SFHPT05"),
    ),
    "ecg": (
        "Observed 12-lead ECG recordings", K.OBSERVATION,
        "Observed recording three 12-lead ECGs, including recognising and repeating a poor "
        "trace, and passing each to the ward doctor.",
        ("WM-IAP-07",),
    ),
    "pdp": (
        "Personal development plan and KSF appraisal", K.WORK_PRODUCT,
        "My personal development plan agreed at the KSF appraisal, with the learning I have "
        "done since and what I will do next.",
        ("KSF-C2-L2",),
    ),
}
# When in the course each piece was done (a fraction of the cohort's length).
COHORT_1_TIMING = {
    "induction": 0.04, "one_to_one": 0.12, "safeguarding": 0.2, "bls_ipc": 0.28, "pdp": 0.36,
    "news2": 0.45, "activities": 0.55, "de_escalation": 0.63, "care_plan": 0.7,
    "recovery": 0.77, "medicines": 0.86, "ecg": 0.9,
}
# Cohort 1: most of the profile signed off at target, a few below it, one piece never done.
COHORT_1_BELOW_TARGET = {
    ("WM1002", "WM-IAP-05"), ("WM1003", "WM-IAP-07"), ("WM1006", "WM-IAP-04"),
    ("WM1006", "WM-IAP-07"),
}
COHORT_1_NOT_DONE = {("WM1007", "ecg")}
# Medicines support signed off earlier for two of them: one is overdue for its yearly
# reassessment, one is due soon (days before today).
COHORT_1_MEDICINES_DAYS_AGO = {"WM1003": 480, "WM1004": 350}

# Cohort 2, about 80 days in: (employee number, evidence key, outcome, day of the cohort).
SIGNED, WAITING, RETURNED, SIGNED_SUPERVISED = "signed", "waiting", "returned", "supervised"
COHORT_2_PLAN = (
    ("WM2001", "induction", SIGNED, 12),
    ("WM2001", "one_to_one", SIGNED, 30),
    ("WM2001", "news2", RETURNED, 55),
    ("WM2001", "bls_ipc", WAITING, 72),
    ("WM2002", "induction", SIGNED, 14),
    ("WM2002", "safeguarding", WAITING, 58),
    ("WM2003", "induction", SIGNED, 20),
    ("WM2003", "one_to_one", SIGNED, 45),
    ("WM2004", "induction", WAITING, 74),
    ("WM2005", "induction", SIGNED, 16),
    ("WM2005", "activities", SIGNED_SUPERVISED, 50),
    ("WM2006", "induction", SIGNED, 25),
)
RETURN_COMMENT = (
    "Good observations. Please add the NEWS2 scores you recorded and who you escalated the "
    "score of 5 to, and when, so the account shows the escalation as well as the checks."
)
RETURN_REPLY = (
    "Thanks. I will add the scores from the observation chart and the time I told the nurse "
    "in charge, and resubmit after my next shift."
)

# --- Highmoor ----------------------------------------------------------------------------------

HIGHMOOR_PROGRAMME = "Generic clinical HCSW pilot"
HIGHMOOR_SUMMARY = (
    "A generic clinical healthcare support worker supporting rehabilitation as part of each "
    "person's daily routine: the Care Certificate (2025) as the core, and the national "
    "occupational standards for the clinical skills the three areas share."
)
HIGHMOOR_CORE = tuple(f"CC2025-S{n}" for n in range(1, 17))
HIGHMOOR_ROLE_SPECIFIC = ("SFHCHS19", "SFHCHS6", "SCDHSC0218", "SFHCHS4", "SFHGEN20")
HIGHMOOR_EVIDENCE = {
    "workbook": (
        "Care Certificate workbook: standards 1 to 4", K.WORK_PRODUCT,
        "Completed the workbook for my role, personal development, duty of care and equality, "
        "diversity, inclusion and human rights.",
        ("CC2025-S1", "CC2025-S2", "CC2025-S3", "CC2025-S4"),
    ),
    "person_centred": (
        "Observed person-centred personal care", K.OBSERVATION,
        "Observed helping a patient wash and dress as part of their rehabilitation routine, "
        "encouraging them to do what they could, communicating clearly and keeping their "
        "privacy and dignity.",
        ("CC2025-S5", "CC2025-S6", "CC2025-S7", "SCDHSC0218"),
    ),
    "awareness": (
        "Workbook: fluids and nutrition, mental health, learning disability and autism",
        K.WORK_PRODUCT,
        "Completed the workbook for standards 8, 9 and 16, with a fluid balance chart I kept "
        "and what I changed for a patient with dementia.",
        ("CC2025-S8", "CC2025-S9", "CC2025-S16"),
    ),
    "safeguarding_bls": (
        "Safeguarding and basic life support training and assessment", K.ASSESSMENT,
        "Completed safeguarding adults and children training and passed the basic life support "
        "practical assessment.",
        ("CC2025-S10", "CC2025-S11", "CC2025-S12"),
    ),
    "moving": (
        "Observed moving and positioning during rehabilitation", K.OBSERVATION,
        "Observed moving a patient from bed to chair with a stand aid, following the "
        "physiotherapist's plan and the ward's risk assessment.",
        ("SFHCHS6", "CC2025-S13"),
    ),
    "measurements": (
        "Observed routine clinical measurements", K.OBSERVATION,
        "Observed taking and recording blood pressure, pulse, temperature and weight, with hand "
        "hygiene and accurate records.",
        ("SFHCHS19", "CC2025-S14", "CC2025-S15"),
    ),
    "pressure": (
        "Pressure area risk assessment", K.WORK_PRODUCT,
        "Two pressure area risk assessments I completed with the nurse, and the repositioning "
        "plan agreed with each patient.",
        ("SFHCHS4",),
    ),
    "carers": (
        "Reflective account: supporting a carer before discharge", K.REFLECTIVE_ACCOUNT,
        "How I showed a patient's husband the transfers his wife would need at home, and what "
        "I learnt about involving carers early.",
        ("SFHGEN20",),
    ),
}
# How many of the pieces above (in order) each pilot trainee has signed off, and whether the
# next is waiting for the mentor.
HIGHMOOR_PLAN = {
    "HM3001": (6, True), "HM3002": (5, False), "HM3003": (4, False), "HM3004": (3, True),
    "HM3005": (4, False), "HM3006": (2, False), "HM3007": (5, False), "HM3008": (3, False),
    "HM3009": (2, True),
}


# --- Helpers -----------------------------------------------------------------------------------


@dataclass
class _Context:
    organisation: Organisation
    lead: object
    mentor: object
    competencies: dict[str, Competency]


def _national(id_numbers) -> dict[str, Competency]:
    found = {
        c.id_number: c
        for c in Competency.objects.filter(
            framework__organisation__isnull=True, id_number__in=set(id_numbers)
        ).select_related("framework__scale", "scale")
    }
    missing = set(id_numbers) - set(found)
    if missing:
        raise LookupError(
            f"National competencies missing ({', '.join(sorted(missing))}): load the bundled "
            "frameworks first."
        )
    return found


def _at(day: date, hour: int = 14) -> datetime:
    moment = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return min(moment, timezone.now())


def _backdate(evidence: Evidence, *, submitted: date, decided: date | None) -> None:
    """Move the bookkeeping times of evidence just created to the days the story gives it (see
    the module docstring). Not a change to the record: no audit entry."""
    fields = {"created_at": _at(submitted, 10), "updated_at": _at(decided or submitted, 10)}
    if decided is not None:
        fields["assessed_at"] = _at(decided)
        decisions_backdate(evidence=evidence, decided_at=_at(decided))
    Evidence.objects.filter(pk=evidence.pk).update(**fields)
    for offset, comment in enumerate(evidence.comments.order_by("created_at", "pk")):
        day = decided or submitted
        if comment.kind == EvidenceComment.Kind.REPLY:
            day = min(day + timedelta(days=1), timezone.localdate())
        EvidenceComment.objects.filter(pk=comment.pk).update(
            created_at=_at(day, 14 + offset)
        )


def _evidence(
    ctx: _Context,
    trainee: Trainee,
    catalogue: dict,
    key: str,
    *,
    occurred_on: date,
    decided_on: date,
    outcome: str = SIGNED,
    below_target: set[str] = frozenset(),
) -> Evidence | None:
    """One piece of evidence, submitted by the trainee and assessed by their mentor; None (and
    nothing done) if the trainee already has evidence with this title."""
    title, kind, description, id_numbers = catalogue[key]
    if Evidence.objects.filter(trainee=trainee, title=title).exists():
        return None
    today = timezone.localdate()
    occurred_on, decided_on = min(occurred_on, today), min(max(decided_on, occurred_on), today)
    claimed = [ctx.competencies[i] for i in id_numbers]
    evidence = evidence_submit(
        trainee=trainee, actor=trainee.user, title=title, kind=kind, occurred_on=occurred_on,
        description=description, competencies=claimed,
    )
    if outcome == WAITING:
        _backdate(evidence, submitted=decided_on, decided=None)
        return evidence
    if outcome == RETURNED:
        evidence = evidence_return(evidence=evidence, assessor=ctx.mentor, comment=RETURN_COMMENT)
        evidence_reply(evidence=evidence, author=trainee.user, text=RETURN_REPLY)
        _backdate(evidence, submitted=occurred_on, decided=decided_on)
        return evidence
    levels, lowered = {}, False
    for competency in claimed:
        level = competency.effective_scale().first_proficient_index
        if level > 1 and (outcome == SIGNED_SUPERVISED or competency.id_number in below_target):
            level, lowered = level - 1, True  # "Competent under supervision"
        levels[competency.pk] = level
    evidence = evidence_sign_off(
        evidence=evidence, assessor=ctx.mentor, levels=levels,
        comment=(
            "Signed off at the level shown: competent under supervision for now; we will "
            "look at it again in supervision." if lowered else "Signed off: meets the standard."
        ),
    )
    _backdate(evidence, submitted=occurred_on, decided=decided_on)
    return evidence


def _profile(programme: Programme, summary: str, core, role_specific, competencies, lead):
    """The role profile with these items (core at the competencies' first proficient level),
    adding only what is missing."""
    with set_actor(lead):
        profile = role_profile_get_or_create(programme)
        if not profile.summary:
            profile.summary = summary
            profile.save(update_fields=["summary", "updated_at"])
        present = set(profile.items.values_list("competency_id", flat=True))
        for kind, id_numbers in ((RoleProfileItem.Kind.CORE, core),
                                 (RoleProfileItem.Kind.ROLE_SPECIFIC, role_specific)):
            wanted = [competencies[i] for i in id_numbers if competencies[i].pk not in present]
            if wanted:
                role_profile_add(profile=profile, competencies=wanted, kind=kind)
    return profile


# --- Westmoor ----------------------------------------------------------------------------------


def _westmoor_framework(organisation: Organisation, lead) -> dict[str, Competency]:
    framework = Framework.objects.filter(
        organisation=organisation, id_number=WESTMOOR_FRAMEWORK_ID
    ).first()
    if framework is None:
        parsed = moodle_csv.ParsedFramework(
            framework=moodle_csv.Framework(
                id_number=WESTMOOR_FRAMEWORK_ID,
                short_name="Westmoor inpatient assistant practitioner competencies",
                description=(
                    "The role-specific competencies of Westmoor's band 4 inpatient assistant "
                    "practitioners, agreed by the project team's clinicians after mapping the "
                    "role against the NOS, the KSF and the Roth and Pilling competences."
                ),
                description_format=moodle_csv.FORMAT_PLAIN,
                scale=WESTMOOR_SCALE,
                taxonomies=("competency",),
            ),
            competencies=tuple(
                moodle_csv.Competency(
                    id_number=id_number, short_name=name, description=description,
                    description_format=moodle_csv.FORMAT_PLAIN,
                )
                for id_number, name, description, _, _ in WESTMOOR_COMPETENCIES
            ),
        )
        framework = framework_import(
            parsed=parsed, organisation=organisation, actor=lead,
            details=FrameworkDetails(
                family="westmoor-inpatient-ap", version="2",
                source="Westmoor NHS Trust inpatient assistant practitioner project team",
                source_note=(
                    "Demo data: written for Ladder's demonstration, not a trust's framework."
                ),
            ),
        )
        # Which are delegated healthcare tasks: no column in the Moodle format. Set straight: the
        # demo's framework is new, so no sign-off needs its period re-evaluated and no person
        # changed it (a lead does it through frameworks.services.framework_validity_update).
        for id_number, _, _, delegated, months in WESTMOOR_COMPETENCIES:
            if delegated:
                framework.competencies.filter(id_number=id_number).update(
                    is_delegated_task=True, reassessment_months=months
                )
    return {
        c.id_number: c
        for c in framework.competencies.select_related("framework__scale", "scale")
    }


def _westmoor_mappings_and_course(ctx: _Context) -> None:
    c = ctx.competencies
    with set_actor(ctx.lead):
        for source, target, strength, note in WESTMOOR_MAPPINGS:
            exists = Mapping.objects.filter(
                organisation=ctx.organisation, source=c[source], target=c[target]
            ).exists()
            if not exists:
                mapping_create(
                    organisation=ctx.organisation, source=c[source], target=c[target],
                    strength=strength, note=note, actor=ctx.lead,
                )
        if not Course.objects.filter(organisation=ctx.organisation, name=COURSE_NAME).exists():
            course_create(
                organisation=ctx.organisation, name=COURSE_NAME, provider=COURSE_PROVIDER,
                covers=[c[i] for i in COURSE_COVERS], actor=ctx.lead,
            )


def _cohort_1(ctx: _Context, cohort: Cohort) -> None:
    start, end = cohort.starts_on, min(cohort.ends_on, timezone.localdate())
    span = (end - start).days
    trainees = Trainee.objects.filter(
        organisation=ctx.organisation, enrolments__cohort=cohort
    ).select_related("user").order_by("employee_number")
    for index, trainee in enumerate(trainees):
        number = trainee.employee_number
        for key, fraction in COHORT_1_TIMING.items():
            if (number, key) in COHORT_1_NOT_DONE:
                continue
            occurred = start + timedelta(days=round(fraction * span) + 3 * index)
            if key == "medicines" and number in COHORT_1_MEDICINES_DAYS_AGO:
                days_ago = COHORT_1_MEDICINES_DAYS_AGO[number] + 5  # signed off 5 days later
                occurred = timezone.localdate() - timedelta(days=days_ago)
            occurred = max(start, min(occurred, end - timedelta(days=10)))
            below = {i for n, i in COHORT_1_BELOW_TARGET if n == number}
            _evidence(
                ctx, trainee, WESTMOOR_EVIDENCE, key, occurred_on=occurred,
                decided_on=occurred + timedelta(days=4 + index % 3), below_target=below,
            )


def _cohort_2(ctx: _Context, cohort: Cohort) -> None:
    trainees = {
        t.employee_number: t
        for t in Trainee.objects.filter(
            organisation=ctx.organisation, enrolments__cohort=cohort
        ).select_related("user")
    }
    today = timezone.localdate()
    for number, key, outcome, day in COHORT_2_PLAN:
        trainee = trainees.get(number)
        if trainee is None:
            continue
        occurred = min(cohort.starts_on + timedelta(days=day), today)
        decided = occurred + timedelta(days=1 if outcome == WAITING else 3)
        _evidence(ctx, trainee, WESTMOOR_EVIDENCE, key, occurred_on=occurred,
                  decided_on=decided, outcome=outcome)


def _seed_westmoor() -> None:
    organisation = Organisation.objects.get(slug="westmoor")
    lead = User.objects.get(username="lead.westmoor")
    mentor = User.objects.get(username="mentor.westmoor")
    programme = Programme.objects.get(organisation=organisation, title=WESTMOOR_PROGRAMME)
    competencies = _westmoor_framework(organisation, lead)
    competencies.update(_national(
        WESTMOOR_CORE + WESTMOOR_ROLE_SPECIFIC_NATIONAL
        + tuple(target for _, target, _, _ in WESTMOOR_MAPPINGS)
        + tuple(i for i in COURSE_COVERS if not i.startswith("WM-"))
    ))
    ctx = _Context(organisation, lead, mentor, competencies)
    _westmoor_mappings_and_course(ctx)
    own = tuple(id_number for id_number, *_ in WESTMOOR_COMPETENCIES)
    _profile(programme, WESTMOOR_SUMMARY, WESTMOOR_CORE, own + WESTMOOR_ROLE_SPECIFIC_NATIONAL,
             competencies, lead)
    _cohort_1(ctx, programme.cohorts.get(intake_number=1))
    _cohort_2(ctx, programme.cohorts.get(intake_number=2))
    _lifecycle(ctx, programme)


# --- Competence over time: self-assessment, correction, withdrawal, expiry ---------------------

WITHDRAWAL_REASON = (
    "Withdrawn after a medicines incident on Larch Ward (Datix 4471): reassess after the "
    "supervised practice the action plan sets."
)
CORRECTION_COMMENT = "Good practice seen, but not yet on your own on nights: confirmed one level lower."
DEMO_STATEMENT = (
    "I have observed the trainee perform this safely and to the standard on at least three "
    "occasions, and discussed the underpinning knowledge with them."
)
DEMO_DECLARATION = "These ratings are my honest view of my own practice."


def _lifecycle(ctx: _Context, programme: Programme) -> None:
    """Trainees with confirmed and corrected self-assessments (one still waiting), a withdrawn
    sign-off, competence expiring next month and some already expired. Each story is told once:
    a trainee who already has self-assessments, or a withdrawal, is left as they are."""
    from .assessment.services import (
        Rating,
        assessment_policy_update,
        attainment_reassess,
        attainment_withdraw,
        self_assessment_confirm,
        self_assessment_submit,
    )
    from .evidence.services import policy_for
    from .models import AssessmentPolicy, AttainmentDecision, SelfAssessment
    from .validity import add_months, validity_months

    if not AssessmentPolicy.objects.filter(organisation=ctx.organisation).exists():
        assessment_policy_update(
            organisation=ctx.organisation, actor=ctx.lead, assessor_statement=DEMO_STATEMENT,
            trainee_declaration=DEMO_DECLARATION, delegated_task_validity_months=12,
        )
    today = timezone.localdate()
    items = list(programme.role_profile.items.select_related("competency__framework__scale", "competency__scale"))
    mentored = list(
        Trainee.objects.filter(organisation=ctx.organisation, enrolments__cohort__programme=programme,
                               mentor=ctx.mentor, user__isnull=False)
        .exclude(enrolments__status="withdrawn").select_related("user").order_by("employee_number").distinct()
    )
    if len(mentored) < 3:
        return
    rater, lapsing, withdrawn = mentored[-1], mentored[0], mentored[1]

    # Self-assessment: three ratings; one confirmed, one corrected lower, one waiting.
    if not SelfAssessment.objects.filter(trainee=rater).exists():
        chosen = [i for i in items if not i.competency.is_delegated_task][:3]
        ratings = []
        for item in chosen:
            scale = item.competency.effective_scale()
            ratings.append(Rating(item.competency, min(item.target_level + 1, len(scale.levels) - 1),
                                  "Done it many times on the ward."))
        records = self_assessment_submit(trainee=rater, actor=rater.user, ratings=ratings)
        if records:
            self_assessment_confirm(self_assessment=records[0], assessor=ctx.mentor, level=records[0].level)
        if len(records) > 1:
            self_assessment_confirm(self_assessment=records[1], assessor=ctx.mentor,
                                    level=max(records[1].level - 1, 0), comment=CORRECTION_COMMENT)

    # Delegated tasks: one expiring next month, one expired last month.
    tasks = [i for i in items if i.competency.is_delegated_task]
    if tasks and not AttainmentDecision.objects.filter(trainee=lapsing, kind=AttainmentDecision.Kind.REASSESSED).exists(
        
    ):
        default = policy_for(ctx.organisation.pk).delegated_task_validity_months
        for item, days in zip(tasks, (30, -20), strict=False):
            months = validity_months(item.competency, delegated_default=default) or 12
            decided = add_months(today + timedelta(days=days), -months)  # valid until today + days
            decision = attainment_reassess(trainee=lapsing, competency=item.competency, assessor=ctx.mentor,
                                           level=item.target_level, comment="Reassessed on the ward.")
            decisions_backdate(decisions=[decision], decided_at=_at(decided))

    # A withdrawn sign-off, with its reason.
    if not AttainmentDecision.objects.filter(trainee=withdrawn, kind=AttainmentDecision.Kind.WITHDRAWN).exists():
        current = (
            AttainmentDecision.objects.filter(trainee=withdrawn, kind=AttainmentDecision.Kind.SIGNED_OFF)
            .select_related("competency").order_by("-decided_at").first()
        )
        if current is not None:
            attainment_withdraw(trainee=withdrawn, competency=current.competency, actor=ctx.mentor,
                                reason=WITHDRAWAL_REASON)


# --- Highmoor ----------------------------------------------------------------------------------


def _seed_highmoor() -> None:
    organisation = Organisation.objects.get(slug="highmoor")
    lead = User.objects.get(username="lead.highmoor")
    mentor = User.objects.get(username="mentor.highmoor")
    programme = Programme.objects.get(organisation=organisation, title=HIGHMOOR_PROGRAMME)
    competencies = _national(HIGHMOOR_CORE + HIGHMOOR_ROLE_SPECIFIC)
    ctx = _Context(organisation, lead, mentor, competencies)
    _profile(programme, HIGHMOOR_SUMMARY, HIGHMOOR_CORE, HIGHMOOR_ROLE_SPECIFIC, competencies, lead)
    cohort = programme.cohorts.get(intake_number=1)
    today = timezone.localdate()
    keys = list(HIGHMOOR_EVIDENCE)
    trainees = Trainee.objects.filter(
        organisation=organisation, enrolments__cohort=cohort
    ).select_related("user").order_by("employee_number")
    for index, trainee in enumerate(trainees):
        signed, waiting = HIGHMOOR_PLAN.get(trainee.employee_number, (2, False))
        for position, key in enumerate(keys[: signed + int(waiting)]):
            occurred = cohort.starts_on + timedelta(days=21 + 30 * position + 2 * index)
            occurred = min(occurred, today - timedelta(days=3))
            outcome = WAITING if position >= signed else SIGNED
            if outcome == WAITING:  # submitted in the last week
                occurred = today - timedelta(days=3 + index % 5)
            decided = occurred + timedelta(days=1 if outcome == WAITING else 5)
            _evidence(ctx, trainee, HIGHMOOR_EVIDENCE, key, occurred_on=occurred,
                      decided_on=decided, outcome=outcome)


@transaction.atomic
def seed_competencies() -> None:
    """Westmoor's and Highmoor's competency data and evidence (see the module docstring)."""
    _seed_westmoor()
    _seed_highmoor()
