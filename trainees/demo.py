"""Demo trainees: Westmoor's first cohort of seven, who all completed (two went on to an
abbreviated nursing degree), its running second cohort, and Highmoor's running pilot with a
realistic log of protected study time (one ward keeps losing it to staffing) and reviews.

Idempotent: a trainee whose employee number exists is left as it is.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from programmes.demo.people import DEMO_PASSWORD
from programmes.models import ClinicalArea, Cohort, Membership, Organisation, Role
from programmes.services import membership_grant, person_ensure

from . import services
from .models import Enrolment, StudySession, Trainee
from .selectors import contract_parties_for

User = get_user_model()

# (employee number, first, last, band, ward, login or None, outcome, outcome detail)
WESTMOOR_COHORT_1 = (
    ("WM1001", "Aisha", "Begum", "3", "Larch Ward", None, "qualified", ""),
    ("WM1002", "Daniel", "Hughes", "3", "Larch Ward", None, "progressed",
     "Nursing degree (abbreviated), Westmoor University"),
    ("WM1003", "Megan", "Price", "2", "Rowan Ward", None, "qualified", ""),
    ("WM1004", "Kwame", "Mensah", "3", "Rowan Ward", None, "qualified", ""),
    ("WM1005", "Sophie", "Turner", "3", "Willow Ward (PICU)", None, "progressed",
     "Nursing degree (abbreviated), Westmoor University"),
    ("WM1006", "Liam", "Walsh", "2", "Willow Ward (PICU)", None, "qualified", ""),
    ("WM1007", "Hannah", "Lewis", "3", "Larch Ward", None, "qualified", ""),
)
WESTMOOR_COHORT_2 = (
    ("WM2001", "Jordan", "Ellis", "3", "Larch Ward", "trainee.westmoor"),
    ("WM2002", "Chloe", "Morgan", "3", "Rowan Ward", None),
    ("WM2003", "Ryan", "Patel", "2", "Larch Ward", None),
    ("WM2004", "Grace", "Adeyemi", "3", "Willow Ward (PICU)", None),
    ("WM2005", "Ben", "Carter", "3", "Rowan Ward", None),
    ("WM2006", "Olivia", "Knight", "2", "Larch Ward", None),
)
HIGHMOOR_PILOT = (
    ("HM3001", "Kirsty", "Douglas", "3", "Stroke rehabilitation unit", "trainee.highmoor"),
    ("HM3002", "Euan", "Murray", "3", "Stroke rehabilitation unit", None),
    ("HM3003", "Shona", "Campbell", "2", "Stroke rehabilitation unit", None),
    ("HM3004", "Ross", "Robertson", "3", "Orthopaedic rehabilitation ward", None),
    ("HM3005", "Ailsa", "Thomson", "3", "Orthopaedic rehabilitation ward", None),
    ("HM3006", "Jamie", "Scott", "2", "Orthopaedic rehabilitation ward", None),
    ("HM3007", "Lorna", "McDonald", "3", "Medicine of the elderly", None),
    ("HM3008", "Craig", "Paterson", "3", "Medicine of the elderly", None),
    ("HM3009", "Iona", "Wilson", "2", "Medicine of the elderly", None),
)


def seed_trainees() -> None:
    westmoor = Organisation.objects.get(slug="westmoor")
    highmoor = Organisation.objects.get(slug="highmoor")
    wm_c1 = Cohort.objects.get(programme__organisation=westmoor, intake_number=1)
    wm_c2 = Cohort.objects.get(programme__organisation=westmoor, intake_number=2)
    hm_pilot = Cohort.objects.get(programme__organisation=highmoor, intake_number=1)
    staff = {u.username: u for u in User.objects.filter(username__contains=".")}

    for number, first, last, band, ward, login, _outcome, _detail in WESTMOOR_COHORT_1:
        enrolment = _enrol(westmoor, wm_c1, staff, "westmoor", number, first, last, band, ward, login)
        if enrolment is not None:
            _history(enrolment, staff["lead.westmoor"], staff["manager.westmoor"], lossy_ward=None)
    for number, first, last, band, ward, login in WESTMOOR_COHORT_2:
        enrolment = _enrol(westmoor, wm_c2, staff, "westmoor", number, first, last, band, ward, login)
        if enrolment is not None:
            _history(enrolment, staff["lead.westmoor"], staff["manager.westmoor"], lossy_ward=None)
    for number, first, last, band, ward, login in HIGHMOOR_PILOT:
        enrolment = _enrol(highmoor, hm_pilot, staff, "highmoor", number, first, last, band, ward, login)
        if enrolment is not None:
            _history(enrolment, staff["lead.highmoor"], staff["manager.highmoor"],
                     lossy_ward="Orthopaedic rehabilitation ward",
                     skip_last_review=(number == "HM3005"))


def _enrol(organisation, cohort, staff, org_slug, number, first, last, band, ward, login):
    if Trainee.objects.filter(organisation=organisation, employee_number=number).exists():
        return None
    lead = staff[f"lead.{org_slug}"]
    if login is None:
        # Every demo trainee has a login (to sign their contract, add evidence); only two are
        # printed with the demo logins.
        login = f"{first}.{last}".lower()
        staff[login] = person_ensure(
            username=login, first_name=first, last_name=last,
            email=f"{login}@example.org", password=DEMO_PASSWORD,
        )
        membership_grant(user=staff[login], organisation=organisation, role=Role.TRAINEE)
    trainee = services.trainee_create(
        organisation=organisation, actor=lead, first_name=first, last_name=last,
        email=f"{first}.{last}@example.org".lower(), employee_number=number, band=band,
        job_title="Trainee assistant practitioner" if org_slug == "westmoor" else "Healthcare support worker",
        clinical_area=ClinicalArea.objects.get(organisation=organisation, name=ward),
        line_manager=staff[f"manager.{org_slug}"], mentor=staff[f"mentor.{org_slug}"],
        user=staff[login],
    )
    enrolment = services.enrolment_create(
        trainee=trainee, cohort=cohort, actor=lead, enrolled_on=cohort.starts_on,
        status=Enrolment.Status.APPLIED, reason="Application received",
    )
    enrolment = services.enrolment_transition(
        enrolment=enrolment, to_status=Enrolment.Status.ACTIVE, actor=lead,
        reason="Interviewed and offered a place",
    )
    _sign_contract(enrolment, staff, org_slug, unsigned=LEFT_TO_SIGN.get(number, set()))
    return enrolment


def complete_first_cohort() -> None:
    """Westmoor's first cohort qualified: five in the role, two onto a nursing degree. Run after
    the evaluation demo, which interviewed them while they were still training."""
    lead = User.objects.get(username="lead.westmoor")
    outcomes = {number: (outcome, detail) for number, *_, outcome, detail in WESTMOOR_COHORT_1}
    for enrolment in Enrolment.objects.filter(
        trainee__employee_number__in=outcomes, status=Enrolment.Status.ACTIVE,
        cohort__programme__organisation__slug="westmoor", cohort__intake_number=1,
    ).select_related("trainee", "cohort"):
        outcome, detail = outcomes[enrolment.trainee.employee_number]
        services.enrolment_transition(
            enrolment=enrolment, to_status=Enrolment.Status.COMPLETED, actor=lead,
            reason="Passed the foundation degree", outcome=outcome, outcome_detail=detail,
            on=enrolment.cohort.ends_on,
        )


# Contracts the demo leaves for someone to sign, so each demo login that signs has one to try:
# the two printed trainees their own; a manager, lecturer and mentor one each per organisation
# (a new mentor at Highmoor has not signed two yet).
LEFT_TO_SIGN = {
    "WM2001": {"trainee"},
    "WM2006": {"manager", "lecturer", "mentor"},
    "HM3001": {"trainee"},
    "HM3007": {"manager", "lecturer"},
    "HM3008": {"mentor"},
    "HM3009": {"mentor"},
}


def _sign_contract(enrolment: Enrolment, staff, org_slug: str, *, unsigned: set[str]) -> None:
    contract = enrolment.contract
    signers = [staff[f"manager.{org_slug}"], *enrolment.cohort.lecturers.all()[:1],
               enrolment.trainee.user, staff[f"mentor.{org_slug}"]]
    for user in signers:
        for membership in Membership.objects.active().filter(user=user).select_related("organisation"):
            parties = contract_parties_for(membership, enrolment) - unsigned
            for party in parties - set(contract.signatures.values_list("party", flat=True)):
                services.contract_sign(contract=contract, party=party, user=user, allowed_parties=parties)


def _history(enrolment: Enrolment, lead, manager, *, lossy_ward: str | None,
             skip_last_review: bool = False) -> None:
    """Weekly protected study time from the start to today (or the cohort's end), and a
    tripartite review every 12 weeks."""
    rng = random.Random(enrolment.trainee.employee_number)  # noqa: S311  # nosec B311: demo data, deterministic per trainee
    today = timezone.localdate()
    start = max(enrolment.cohort.starts_on, enrolment.enrolled_on)
    end = min(today, enrolment.cohort.ends_on)
    hours = enrolment.planned_hours_per_week
    on_lossy_ward = enrolment.trainee.clinical_area.name == lossy_ward
    sessions = []
    day = start
    while day <= end:
        loss_chance = 0.45 if on_lossy_ward else 0.08
        if rng.random() < loss_chance:
            reason = (StudySession.LostReason.WARD_STAFFING if on_lossy_ward or rng.random() < 0.6
                      else rng.choice([StudySession.LostReason.SICKNESS, StudySession.LostReason.ANNUAL_LEAVE]))
            sessions.append({
                "date": day, "hours": hours, "outcome": StudySession.Outcome.LOST, "lost_reason": reason,
                "cover_arranged": rng.random() < 0.3,
                "note": "No cover on the ward" if reason == StudySession.LostReason.WARD_STAFFING else "",
            })
        else:
            sessions.append({"date": day, "hours": hours})
        day += timedelta(weeks=1)
    # All at once, as a manager's weekly entries would each be recorded (checks, audit entries).
    services.study_sessions_record(enrolment=enrolment, actor=manager, sessions=sessions)
    reviews = []
    day = start + timedelta(weeks=11)
    while day <= end:
        reviews.append(day)
        day += timedelta(weeks=12)
    if skip_last_review and reviews:
        reviews = reviews[:-1]  # this trainee's review is now overdue
    for number, held in enumerate(reviews, start=1):
        services.review_record(
            enrolment=enrolment, actor=manager, held_on=held,
            notes=REVIEW_NOTES[(number - 1) % len(REVIEW_NOTES)],
            actions="Agree dates for protected study time for the next 12 weeks.",
            tutor_present=number % 3 != 0,
        )


REVIEW_NOTES = (
    "Settling in well. Study skills support arranged; first assignment submitted on time.",
    "Good progress with physical health observations; more practice needed with care plans.",
    "Confident in the role; mentor reports evidence of competence in most areas observed.",
    "Protected study time has been hard to take because of ward staffing; cover discussed.",
)

# Used in tests: what the running cohorts must show.
EXPECTED = {"westmoor_completed": 7, "westmoor_progressed": 2}

