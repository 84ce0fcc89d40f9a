"""Gathers a programme's case study from the data, section by section, in the shape of the
published case studies (shared/domain 003): the organisation; what we did and why; intended
benefits; how we did it; trainee and manager findings; results and next steps; evaluation of
the impact; tips for others; contact details.

Each section is plain data gathered through the features' own selectors (reports sits on the
top floor, so it may read them all); templates/reports/case_study.html lays it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from competencies.models import RoleProfile
from competencies.profiles.selectors import gap_analysis
from evaluations.findings.charts import Series, bar_chart
from evaluations.findings.selectors import audit_summary, findings_for, satisfaction_summary
from programmes.models import Membership, Programme
from programmes.selectors import with_partners
from trainees.models import Enrolment
from trainees.selectors import planned_hours_to_date, with_progress_figures

from ..models import CaseStudyNarrative
from .attainment import Attainment, attainment_against_target


@dataclass
class CohortResult:
    name: str
    starts_on: date
    ends_on: date
    enrolled: int
    active: int
    completed: int
    withdrawn: int
    qualified: int
    progressed: int
    returned: int
    progressed_to: list[str]
    hours_planned: Decimal
    hours_taken: Decimal
    hours_lost: Decimal

    @property
    def study_time_percent(self) -> int | None:
        if not self.hours_planned:
            return None
        return int((self.hours_taken / self.hours_planned * 100).to_integral_value())


@dataclass
class CaseStudy:
    programme: Programme
    narrative: CaseStudyNarrative
    generated_on: date
    milestones: list
    cohorts: list[CohortResult]
    totals: dict
    charts: dict = field(default_factory=dict)
    gaps: object = None  # competencies.profiles.selectors.GapAnalysis
    findings: object = None  # evaluations.findings.selectors.Findings
    audits: object = None  # evaluations.findings.selectors.AuditSummary
    satisfaction: object = None  # evaluations.findings.selectors.SatisfactionSummary
    attainment: Attainment | None = None

    @property
    def timescale_months(self) -> int | None:
        dates = [m.due_on for m in self.milestones] + [m.done_on for m in self.milestones if m.done_on]
        if len(dates) < 2:
            return None
        first, last = min(dates), max(dates)
        return (last.year - first.year) * 12 + last.month - first.month


def gather(programme: Programme, *, membership: Membership,
           progress: Callable[[int, str], None] = lambda p, s: None) -> CaseStudy:
    """Everything the case study shows, in a fixed number of queries whatever the programme's
    size. ``membership`` is the person it is produced for (what they may see is what it shows)."""
    today = timezone.localdate()
    narrative = CaseStudyNarrative.objects.filter(programme=programme).first() or CaseStudyNarrative(
        programme=programme
    )
    programme = (
        with_partners(Programme.objects.select_related("organisation"))
        .prefetch_related("clinical_areas", "milestones")
        .get(pk=programme.pk)
    )
    progress(15, "Gathering cohorts and outcomes")
    cohorts = list(programme.cohorts.annotate(
        n_enrolled=Count("enrolments"),
        n_active=Count("enrolments", filter=Q(enrolments__status__in=["active", "paused", "applied"])),
        n_completed=Count("enrolments", filter=Q(enrolments__status="completed")),
        n_withdrawn=Count("enrolments", filter=Q(enrolments__status="withdrawn")),
        n_qualified=Count("enrolments", filter=Q(enrolments__outcome="qualified")),
        n_progressed=Count("enrolments", filter=Q(enrolments__outcome="progressed")),
        n_returned=Count("enrolments", filter=Q(enrolments__outcome="returned")),
    ).order_by("intake_number"))
    enrolments = list(with_progress_figures(
        Enrolment.objects.filter(cohort__programme=programme).select_related("cohort")
    ))
    progress(35, "Adding up protected study time")
    results = []
    for cohort in cohorts:
        mine = [e for e in enrolments if e.cohort_id == cohort.pk]
        results.append(CohortResult(
            name=cohort.name, starts_on=cohort.starts_on, ends_on=cohort.ends_on,
            enrolled=cohort.n_enrolled, active=cohort.n_active, completed=cohort.n_completed,
            withdrawn=cohort.n_withdrawn, qualified=cohort.n_qualified,
            progressed=cohort.n_progressed, returned=cohort.n_returned,
            progressed_to=sorted({e.outcome_detail for e in mine if e.outcome == "progressed" and e.outcome_detail}),
            hours_planned=sum((planned_hours_to_date(e, today) for e in mine), Decimal(0)),
            hours_taken=sum((e.hours_taken for e in mine), Decimal(0)),
            hours_lost=sum((e.hours_lost for e in mine), Decimal(0)),
        ))
    totals = {key: sum(getattr(r, key) for r in results) for key in (
        "enrolled", "active", "completed", "withdrawn", "qualified", "progressed", "returned")}
    study = CaseStudy(
        programme=programme, narrative=narrative, generated_on=today,
        milestones=list(programme.milestones.all()), cohorts=results, totals=totals,
    )
    outcomes = ("Enrolled", "Completed", "Qualified in the role", "Progressed to further training", "Withdrawn")
    study.charts["results"] = bar_chart(
        title="Trainees: enrolled, completed and what happened next",
        description="Number of trainees across all cohorts by outcome.",
        categories=list(outcomes),
        series=[Series("Trainees", [totals["enrolled"], totals["completed"], totals["qualified"],
                                    totals["progressed"], totals["withdrawn"]])],
    )
    study.charts["study_time"] = bar_chart(
        title="Protected study time taken, as a percentage of plan",
        description="For each cohort, hours of protected study time taken as a share of hours planned to date.",
        categories=[r.name for r in results],
        series=[Series("Taken", [r.study_time_percent or 0 for r in results],
                       [f"{r.study_time_percent or 0}% ({r.hours_taken:g} of {r.hours_planned:g} hours)"
                        for r in results])],
        max_value=100,
    )
    progress(40, "Measuring competency attainment against the targets")
    study.attainment = attainment_against_target(programme_id=programme.pk, enrolments=enrolments)
    progress(45, "Adding the role profile and gap analysis")
    profile = RoleProfile.objects.filter(programme=programme).first()
    study.gaps = gap_analysis(profile=profile, membership=membership) if profile else None
    progress(55, "Adding evaluation findings, audits and satisfaction")
    study.findings = findings_for(programme=programme, max_quotes=1)  # one quote per theme
    study.audits = audit_summary(programme=programme)
    study.satisfaction = satisfaction_summary(programme=programme)
    return study
