"""A trainee with something on every floor: study time, reviews, a signature, evidence with a
file, a level and a comment, interviews with coded answers, and a report about them. Built
through the features' services (and their test factories), as users build it."""

from __future__ import annotations

from datetime import date

from django.http import QueryDict

from core.drafts import draft_save, evidence_draft_key, review_draft_key
from programmes.models import Role
from reports import services as report_services
from reports.models import ReportJob
from trainees import services as trainee_services

from ..evidence.factories import make_competency, make_framework, pdf, sign_off, submit
from ..findings import factories as findings
from ..trainees.helpers import add_history

QUOTE = "My manager Ms Birch let me shadow the physical health nurse"  # an identifying excerpt
REVIEW_NOTE = "Sam is doing well on Larch Ward"
EVIDENCE_TEXT = "I recorded a full set of observations and escalated a NEWS2 of 5."
OWN_DRAFT = "Night shift on Larch Ward: I started the NEWS2 chart"  # Sam's, not yet submitted
REVIEW_DRAFT = "Sam needs more support with handovers"  # the manager's draft review of Sam


def rich_record(world, *, size: int = 1) -> None:
    """``size`` of each kind of row for world.trainee (Sam): sessions, reviews, evidence, and
    interviews (one stage each); and two drafts, Sam's evidence and the manager's review."""
    trainee, enrolment = world.trainee, world.enrolment
    manager, mentor = world.person(Role.MANAGER), world.person(Role.MENTOR)
    already = enrolment.reviews.count()
    add_history(world, enrolment, sessions=2 * size, reviews=size)
    for review in enrolment.reviews.all()[: size if not already else 0]:
        review.notes = REVIEW_NOTE  # what a manager writes about a person
        review.save(update_fields=["notes"])
    if not enrolment.contract.signatures.exists():
        trainee_services.contract_sign(
            contract=enrolment.contract, party="manager", user=manager, allowed_parties={"manager"},
        )
    framework = make_framework(short_name="Care Certificate")
    for n in range(size):
        competency = make_competency(framework, f"Duty of care {n}")
        evidence = submit(trainee, [competency], files=[pdf(f"observation-{n}.pdf")], title=f"Observations {n}")
        sign_off(evidence, {competency.pk: 1}, assessor=mentor, comment=f"Well done, Sam ({n})")
    trainee_instrument = findings.instrument(world.organisation)
    for n in range(size):
        stage = findings.stage(world.cohort, name=f"Stage {n}", order=n + 1,
                               trainee_instrument=trainee_instrument)
        interview = findings.interview(
            stage, trainee_instrument, enrolment=enrolment, consent=True, interviewer=world.person(Role.TRAINING_LEAD),
            answers={"why_applied": "To become a nurse one day", "experience": QUOTE, "confidence": 4},
        )
        findings.code(interview, "experience", "Support from managers", excerpt=QUOTE, quote=True)
        findings.code(interview, "why_applied", "Career progression")
    typed = QueryDict(mutable=True)
    typed["description"] = OWN_DRAFT
    draft_save(user=trainee.user, key=evidence_draft_key(trainee.pk), title="Night shift", url="/", data=typed)
    typed["notes"] = REVIEW_DRAFT
    draft_save(user=manager, key=review_draft_key(enrolment.pk), title="Review of Sam", url="/", data=typed)
    lead = world.person(Role.TRAINING_LEAD)
    job = ReportJob.objects.create(
        organisation=world.organisation, kind=ReportJob.Kind.TRAINEE_PORTFOLIO, trainee=trainee, requested_by=lead,
    )
    report_services.job_finish(job_id=job.pk, content=b"%PDF-1.7 portfolio", file_name="portfolio.pdf", page_count=1)


def finish(world, *, outcome="qualified") -> None:
    """Sam's enrolment completed, so Sam may be erased."""
    trainee_services.enrolment_transition(
        enrolment=world.enrolment, to_status="completed", actor=world.person(Role.TRAINING_LEAD),
        reason="Sam passed the final assessment", outcome=outcome,
        outcome_detail="Nursing degree (abbreviated), Westmoor University" if outcome == "progressed" else "",
        on=date(2027, 12, 1),
    )

