"""The demo case study's words, after the published account (shared/domain 003), for the
fictional Westmoor trust. The figures, findings and charts come from the demo records."""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

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
    "subtitle": "Developing an inpatient assistant practitioner role on three adult mental health wards",
    "authors": "Priya Raman, workforce redesign project manager; Daniel Okafor, lead nurse for inpatient services",
    "show_produced_with_ladder": True,
    "challenges": (
        "Protected study time was the first thing to go when a ward was short: trainees in the "
        "first cohort lost about one hour in ten. We now plan cover ward by ward before each "
        "cohort starts, and the ward managers report lost hours at their monthly meeting.\n"
        "Some support workers worried about losing unsocial-hours pay. We set out each "
        "trainee's pay before they applied, with staff side colleagues, so nobody was surprised."
    ),
    "service_user_quotes": (
        "\u201cShe took the time to explain my blood test results, and checked I had understood.\u201d "
        "- a service user, Larch Ward\n"
        "\u201cMy son's physical health is taken seriously now, not just his mental health.\u201d - a carer, Rowan Ward"
    ),
    "service_user_quotes_consented": True,
    "costs_and_benefits": (
        "The foundation degree was funded by the workforce development fund; the trust paid for "
        "backfill while trainees studied. Within a year of qualifying, every assistant "
        "practitioner was still with us, and the wards' agency spend on support workers fell."
    ),
    "cost_per_trainee": Decimal("8200"),
    "funding_amount": Decimal("45000"),
    "backfill_hours": Decimal("3950"),
    "acknowledgements": (
        "We thank the trainees, their mentors and ward managers, the service-user and carer "
        "representatives on the project team, and colleagues at Westmoor University."
    ),
}


def seed_case_study() -> None:
    programme = Programme.objects.get(organisation__slug="westmoor", title="Inpatient assistant practitioner")
    if CaseStudyNarrative.objects.filter(programme=programme).exists():
        return
    lead = get_user_model().objects.get(username="lead.westmoor")
    narrative_update(programme=programme, actor=lead, logo=demo_logo(), **WESTMOOR)


def demo_logo() -> ContentFile:
    """A made-up Westmoor logo (a PNG drawn here), so the demo cover shows where a trust's goes."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (720, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 200, 200), fill="#005eb8")
    try:
        big = ImageFont.truetype("LiberationSans-Bold.ttf", 150)
        small = ImageFont.truetype("LiberationSans-Bold.ttf", 54)
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((100, 100), "W", fill="white", font=big, anchor="mm")
    draw.text((230, 58), "Westmoor", fill="#005eb8", font=small)
    draw.text((230, 118), "Mental Health", fill="#212b32", font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="westmoor-logo.png")
