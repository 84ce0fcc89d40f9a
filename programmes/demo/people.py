"""The demo cast: two fictional organisations, modelled on the real programmes in
shared/domain (a mental health trust's inpatient assistant practitioner role, and a health
board's generic clinical HCSW pilot across three clinical areas), with someone in every role.

Names are invented. Later features add their own demo data beside this.
"""

from __future__ import annotations

from dataclasses import dataclass

from programmes.models import Organisation, Role

DEMO_PASSWORD = "ladder-demo"  # noqa: S105 (printed on purpose: demo logins only) # nosec B105


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    organisation: str  # slug
    role: str
    job_title: str


ORGANISATIONS = (
    DemoOrganisation(
        slug="westmoor",
        name="Westmoor Mental Health NHS Foundation Trust",
        kind=Organisation.Kind.NHS_TRUST,
        description=(
            "Provides mental health and learning disability services across Westmoor. "
            "Developing an inpatient assistant practitioner role with Westmoor University."
        ),
    ),
    DemoOrganisation(
        slug="westmoor-university",
        name="Westmoor University",
        kind=Organisation.Kind.EDUCATION,
        description="Partner university: runs the two-year foundation degree in mental health.",
    ),
    DemoOrganisation(
        slug="elm-house",
        name="Elm House Nursing Home",
        kind=Organisation.Kind.CARE_PROVIDER,
        description=(
            "A 48-bed nursing home whose care workers take on delegated healthcare tasks from "
            "the community district nursing team."
        ),
    ),
    DemoOrganisation(
        slug="eastvale",
        name="Eastvale Community Health NHS Trust",
        kind=Organisation.Kind.NHS_TRUST,
        description="Community services, including the district nursing team that visits Elm House.",
    ),
    DemoOrganisation(
        slug="highmoor",
        name="NHS Highmoor",
        kind=Organisation.Kind.HEALTH_BOARD,
        description=(
            "A health board piloting a generic clinical healthcare support worker role, "
            "focused on rehabilitation, in three clinical areas."
        ),
    ),
)

PEOPLE = (
    DemoPerson("lead.westmoor", "Priya", "Raman", "westmoor", Role.TRAINING_LEAD,
               "Workforce redesign project manager"),
    DemoPerson("manager.westmoor", "Tom", "Okafor", "westmoor", Role.MANAGER,
               "Ward manager, Larch Ward"),
    DemoPerson("mentor.westmoor", "Grace", "Whitfield", "westmoor", Role.MENTOR,
               "Staff nurse and practice assessor"),
    DemoPerson("lecturer.westmoor", "Alan", "Pryce", "westmoor", Role.LECTURER,
               "Senior lecturer, foundation degree in mental health"),
    DemoPerson("planner.westmoor", "Helen", "Marsh", "westmoor", Role.PLANNER,
               "Workforce planning lead"),
    DemoPerson("trainee.westmoor", "Jordan", "Ellis", "westmoor", Role.TRAINEE,
               "Trainee assistant practitioner"),
    DemoPerson("lecturer.uni", "Ruth", "Ainsworth", "westmoor-university", Role.LECTURER,
               "Course leader, foundation degree in mental health"),
    DemoPerson("lead.elmhouse", "Margaret", "Osei", "elm-house", Role.TRAINING_LEAD,
               "Deputy manager and training lead"),
    DemoPerson("manager.elmhouse", "David", "Harper", "elm-house", Role.MANAGER,
               "Registered home manager"),
    DemoPerson("carer.elmhouse", "Aisha", "Khan", "elm-house", Role.TRAINEE, "Senior care worker"),
    DemoPerson("carer2.elmhouse", "Ben", "Novak", "elm-house", Role.TRAINEE, "Care worker"),
    DemoPerson("lead.eastvale", "Sarah", "Lindqvist", "eastvale", Role.TRAINING_LEAD,
               "Community nursing practice educator"),
    DemoPerson("nurse.eastvale", "Joanne", "Price", "eastvale", Role.MENTOR,
               "District nurse (NMC registered)"),
    DemoPerson("lead.highmoor", "Fiona", "MacLeod", "highmoor", Role.TRAINING_LEAD,
               "Advanced practitioner and healthcare technician training lead"),
    DemoPerson("manager.highmoor", "Callum", "Reid", "highmoor", Role.MANAGER,
               "Senior charge nurse, stroke rehabilitation"),
    DemoPerson("mentor.highmoor", "Morag", "Stewart", "highmoor", Role.MENTOR,
               "Physiotherapist and assessor"),
    DemoPerson("lecturer.highmoor", "Eilidh", "Grant", "highmoor", Role.LECTURER,
               "Lecturer, college of health and care"),
    DemoPerson("planner.highmoor", "Iain", "Fraser", "highmoor", Role.PLANNER,
               "Workforce planner"),
    DemoPerson("trainee.highmoor", "Kirsty", "Douglas", "highmoor", Role.TRAINEE,
               "Healthcare support worker (band 3)"),
)


SUPERUSER = "admin"


def logins_table() -> str:
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD})", ""]
    width = max(len(p.username) for p in PEOPLE)
    for person in PEOPLE:
        lines.append(
            f"  {person.username:<{width}}  {person.first_name} {person.last_name}, "
            f"{person.role.label.lower()} ({person.organisation})"
        )
    lines.append(f"  {SUPERUSER:<{width}}  Django admin (superuser, no organisation)")
    lines.append("")
    return "\n".join(lines)
