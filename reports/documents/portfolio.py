"""A trainee's portfolio for their Knowledge and Skills Framework (KSF) appraisal: every
competency of their role profile with the target, the level reached, and the signed-off
evidence behind it (what, when, the assessor, the level awarded); then other competencies they
have evidence for. Three queries: the portfolio's two and the trainee's enrolments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from competencies.evidence.selectors import Portfolio, portfolio_for
from programmes.models import Membership
from trainees.models import Enrolment, Trainee
from trainees.selectors import enrolments_visible_to


@dataclass
class PortfolioReport:
    trainee: Trainee
    generated_on: date
    portfolio: Portfolio
    enrolments: list[Enrolment]

    @property
    def evidence_count(self) -> int:
        return len({claim.evidence_id for entry in self.portfolio.profile + self.portfolio.other
                    for claim in entry.signed_off})


def gather(trainee: Trainee, *, membership: Membership, today: date | None = None) -> PortfolioReport:
    """``trainee`` with their ward, manager and mentor loaded; the caller has checked the person
    may see them."""
    enrolments = list(
        enrolments_visible_to(membership=membership).filter(trainee=trainee)
        .order_by("-enrolled_on", "-pk")
    )
    return PortfolioReport(
        trainee=trainee, generated_on=today or timezone.localdate(),
        portfolio=portfolio_for(trainee=trainee), enrolments=enrolments,
    )
