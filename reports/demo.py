"""The demo case study's words, after the published account (shared/domain 003), for the
fictional Westmoor trust. The figures, findings and charts come from the demo records."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from programmes.models import Programme

from .models import CaseStudyNarrative
from .services import narrative_update

WESTMOOR = {
    "organisation_text": (
        "Westmoor Mental Health NHS Foundation Trust provides mental health and learning "
        "disability services across Westmoor, including three adult inpatient wards."
    ),
    "what_we_did_and_why": (
        "We saw a need for new ways of working on our inpatient wards. An inpatient assistant "
        "practitioner role would give registered colleagues more support, meet service users' "
        "physical healthcare needs better, and give our band 2 and 3 support workers a clear "
        "route to develop, which we hoped would raise job satisfaction and help us keep them."
    ),
    "how_we_did_it": (
        "A multi-disciplinary project team with service-user and carer representatives developed "
        "the role. Clinicians chose the core and role-specific competencies from national "
        "frameworks and wrote our own only where nothing existed. With Westmoor University we "
        "built a two-year foundation degree in mental health whose work-based learning gives "
        "trainees evidence for their KSF appraisal. An organisational code of practice, agreed "
        "with staff side colleagues, sets out where professional responsibility rests."
    ),
    "results_and_next_steps": (
        "The trust has commissioned a second cohort and the role is now established on our "
        "inpatient wards. We are looking at similar roles in community and crisis services."
    ),
    "tips_for_others": (
        "Work with neighbouring trusts and your university: a shared supply of trainees keeps the "
        "programme affordable.\n"
        "Agree a learning contract that sets out what the trainee, mentor, manager and lecturer "
        "will each do; it protects study time when wards are busy.\n"
        "Plan cover for protected study time before the cohort starts, ward by ward.\n"
        "Reuse what exists: map the role to national frameworks first and write new education "
        "only for the gaps."
    ),
    "contact_details": "Priya Raman, workforce redesign project manager, Westmoor Mental Health NHS Foundation Trust",
}


def seed_case_study() -> None:
    programme = Programme.objects.get(organisation__slug="westmoor", title="Inpatient assistant practitioner")
    if CaseStudyNarrative.objects.filter(programme=programme).exists():
        return
    lead = get_user_model().objects.get(username="lead.westmoor")
    narrative_update(programme=programme, actor=lead, **WESTMOOR)
