"""Demo credentials: what the demo's sign-offs and completions earn, with one revoked and one
expired, and a credential for the demo trainee login (Jordan Ellis, trainee.westmoor) to share.

Runs after the competencies and trainees demos (and complete_first_cohort). The receivers issue
credentials after each commit; this repeats the same decisions explicitly, so the demo holds
them even where no commit happens (inside a test's transaction). Idempotent: issuing is
skipped for a sign-off or enrolment already credited, revoking a revoked credential changes
nothing, Jordan's evidence is added only once.

- Expired: Megan Price's medicines support was signed off more than a year ago and not yet
  reassessed (the competencies demo's overdue reassessment), so her credential has lapsed.
- Revoked: Daniel Hughes's ECG credential, withdrawn by the trust after a trace-quality audit.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from competencies.evidence.selectors import attainment_for
from competencies.evidence.services import decisions_backdate, evidence_sign_off, evidence_submit
from competencies.models import Competency, Evidence
from trainees.models import Enrolment, Trainee

from . import keys, services
from .models import Credential

User = get_user_model()
logger = logging.getLogger(__name__)

JORDAN_EVIDENCE = "Supporting the medicines round on Larch Ward"
REVOKED = ("Daniel", "Hughes", "WM-IAP-07")
REVOKED_REASON = "Withdrawn by the trust after a trace-quality audit; reassessment booked."


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
    delegated = Competency.objects.filter(is_delegated_task=True)
    trainees = Trainee.objects.select_related("organisation")
    for (trainee_id, competency_id) in sorted(attainment_for(trainees, delegated)):
        services.credential_issue_for_competency(
            trainee=trainees.get(pk=trainee_id), competency=delegated.get(pk=competency_id),
            lapsed_too=True,
        )
    for enrolment in Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).order_by("pk"):
        services.credential_issue_for_enrolment(enrolment=enrolment)
    first, last, code = REVOKED
    credential = Credential.objects.filter(
        trainee__first_name=first, trainee__last_name=last, competency__id_number=code
    ).order_by("pk").first()
    if credential is not None:
        services.credential_revoke(
            credential=credential, reason=REVOKED_REASON, actor=User.objects.filter(username="lead.westmoor").first()
        )
