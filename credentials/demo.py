"""Demo credentials: what the demo's sign-offs and completions earn, with one revoked and one
expired, and a credential for the demo trainee login (Jordan Ellis, trainee.westmoor) to share.

Runs after the competencies and trainees demos (and complete_first_cohort). The receivers issue
credentials after each commit; this repeats the same decisions explicitly, so the demo holds
them even where no commit happens (inside a test's transaction). Idempotent: issuing is
skipped for a sign-off or enrolment already credited, revoking a revoked credential changes
nothing, Jordan's evidence is added only once.

- Expired: Megan Price's medicines support was signed off more than a year ago and not yet
  reassessed (the competencies demo's overdue reassessment), so her credential has lapsed.
- Revoked: the credential of the sign-off the competencies demo withdraws (Daniel Hughes's ECG,
  after a medicines incident): issued when he was signed off, revoked when it was withdrawn.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from competencies.evidence.selectors import attainment_for, current_decisions
from competencies.evidence.services import decisions_backdate, evidence_sign_off, evidence_submit
from competencies.models import AttainmentDecision, Competency, Evidence
from programmes.demo.people import ORGANISATIONS
from trainees.models import Enrolment, Trainee

from . import keys, services

logger = logging.getLogger(__name__)

JORDAN_EVIDENCE = "Supporting the medicines round on Larch Ward"


def _jordans_sign_off() -> None:
    jordan = Trainee.objects.filter(user__username="trainee.westmoor").select_related("mentor").first()
    task = Competency.objects.filter(id_number="WM-IAP-04", framework__organisation__slug="westmoor").first()
    if jordan is None or task is None or jordan.mentor is None:
        return
    if Evidence.objects.filter(trainee=jordan, title=JORDAN_EVIDENCE).exists():
        return
    day = timezone.localdate() - timedelta(days=21)
    evidence = evidence_submit(
        trainee=jordan, actor=jordan.user, title=JORDAN_EVIDENCE, kind=Evidence.Kind.OBSERVATION,
        occurred_on=day, competencies=[task],
        description="Observed on the morning round: checked identity and allergies with the nurse, "
        "encouraged concordance and reported a new tremor to the nurse in charge.",
    )
    scale = task.effective_scale()
    evidence_sign_off(
        evidence=evidence, assessor=jordan.mentor, levels={task.pk: len(scale.levels) - 1},
        comment="Safe and thorough; ready to support the round under delegation.",
    )
    signed = timezone.make_aware(datetime.combine(day + timedelta(days=2), time(14)))
    Evidence.objects.filter(pk=evidence.pk).update(assessed_at=signed, updated_at=signed)
    decisions_backdate(evidence=evidence, decided_at=signed)


def seed_credentials() -> None:
    try:
        keys._fernet()  # noqa: SLF001
    except ImproperlyConfigured:
        # Production without LADDER_KEY_ENCRYPTION_KEY (seed_demo --force): nothing can be
        # signed, and the demo must not fail for it.
        logger.warning("Demo credentials skipped: LADDER_KEY_ENCRYPTION_KEY is not set.")
        return
    _jordans_sign_off()
    # The demo organisations' people only: the database may hold others (the benchmark loads the
    # demo beside 2,000 synthetic trainees, whose credentials took five minutes to sign).
    demo = [organisation.slug for organisation in ORGANISATIONS]
    delegated = Competency.objects.filter(is_delegated_task=True)
    trainees = Trainee.objects.filter(organisation__slug__in=demo).select_related("organisation")
    for (trainee_id, competency_id) in sorted(attainment_for(trainees, delegated)):
        services.credential_issue_for_competency(
            trainee=trainees.get(pk=trainee_id), competency=delegated.get(pk=competency_id),
            lapsed_too=True,
        )
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, trainee__organisation__slug__in=demo)
    for enrolment in completed.order_by("pk"):
        services.credential_issue_for_enrolment(enrolment=enrolment)
    _withdrawn_sign_offs(trainees, delegated)


def _withdrawn_sign_offs(trainees, delegated) -> None:
    """Each delegated task whose current version is a withdrawal: credit the sign-off it
    withdrew (as the receiver did when it was signed off), then revoke as the receiver does on
    the withdrawal. Both steps are no-ops the second time."""
    withdrawn = current_decisions(trainees.values("pk"), delegated.values("pk")).filter(
        kind=AttainmentDecision.Kind.WITHDRAWN
    ).select_related("trainee__organisation", "competency").order_by("pk")
    for withdrawal in withdrawn:
        trainee, competency = withdrawal.trainee, withdrawal.competency
        before = (
            AttainmentDecision.objects.filter(trainee=trainee, competency=competency)
            .exclude(kind=AttainmentDecision.Kind.SELF_RATED).exclude(pk=withdrawal.pk)
            .filter(decided_at__lte=withdrawal.decided_at)
            .select_related("decided_by").order_by("-decided_at", "-pk").first()
        )
        if before is not None:
            services.credential_issue_for_competency(trainee=trainee, competency=competency, decision=before)
        services.on_attainment_changed(pairs=[(trainee.pk, competency.pk)], reason="withdrawn")
