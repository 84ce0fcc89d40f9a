"""Gathers a programme's case study from the data, section by section, in the shape of the
published case studies (shared/domain 003): the organisation; what we did and why; intended
benefits; how we did it; trainee and manager findings; results and next steps; evaluation of
the impact; tips for others; contact details.

Each section is plain data gathered through the features' own selectors (reports sits on the
top floor, so it may read them all); templates/reports/case_study.html lays it out.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from competencies.models import RoleProfile
from competencies.profiles.selectors import gap_analysis
from evaluations.findings.charts import Series, bar_chart
from evaluations.findings.selectors import audit_summary, findings_for, satisfaction_summary
from programmes.models import Membership, Programme
from programmes.selectors import with_partners
from trainees.models import Enrolment
from trainees.selectors import StudyTime, study_time_by_cohort

from ..models import CaseStudyNarrative
from .attainment import Attainment, attainment_against_target


@dataclass(frozen=True)
class Section:
    """One section of the case study. ``narrative`` is the CaseStudyNarrative field holding the
    lead's words for it ("" when the section is drawn from the records alone); ``data`` names
    what the records add (the CaseStudy attributes the PDF and the Word file lay out)."""

    key: str
    title: str
    narrative: str = ""
    data: tuple[str, ...] = ()


# The case study's sections, in order: the one list the PDF (templates/reports/case_study.html),
# the Word file and the API follow. Titles are the headings a reader sees.
SECTIONS: tuple[Section, ...] = (
    Section("at-a-glance", "At a glance", data=("cohorts", "totals", "timescale_months", "headline_audit")),
    Section("organisation", "The organisation", "organisation_text",
            ("programme.organisation", "programme.accepted_partnerships", "programme.clinical_areas")),
    Section("why", "What we did and why", "what_we_did_and_why",
            ("programme.description", "programme.setting", "programme.funding_source")),
    Section("benefits", "Intended benefits", data=("programme.intended_benefits",)),
    Section("how", "How we did it", "how_we_did_it",
            ("programme.education_route", "programme.drivers_and_standards", "gaps", "milestones")),
    Section("challenges", "Challenges and how we overcame them", "challenges"),
    Section("trainee-findings", "Examples of trainee findings", data=("findings.trainee",)),
    Section("manager-findings", "Examples of manager findings", data=("findings.manager",)),
    Section("service-user-voice", "Service-user voice", "service_user_quotes", ("narrative.quotes", "satisfaction")),
    Section("results", "Results and next steps", "results_and_next_steps", ("totals", "cohorts", "charts.results")),
    Section("impact", "Evaluation of the impact of the role",
            data=("charts.study_time", "audits", "satisfaction", "attainment")),
    Section("costs", "Costs and benefits", "costs_and_benefits",
            ("narrative.cost_per_trainee", "narrative.funding_amount", "narrative.backfill_hours")),
    Section("tips", "Tips for others", "tips_for_others"),
    Section("acknowledgements", "Acknowledgements", "acknowledgements"),
    Section("contact", "Contact details", "contact_details"),
    Section("appendix", "Appendix: competency attainment by cohort", data=("attainment.rows",)),
)

# Every narrative field a lead (the editor form) or an integration (the API) may write, in the
# order the editor shows them: front matter first, then each section's words.
FRONT_MATTER_FIELDS: tuple[str, ...] = ("subtitle", "authors", "publication_date", "show_produced_with_ladder")
FIGURE_FIELDS: tuple[str, ...] = ("cost_per_trainee", "funding_amount", "backfill_hours")
NARRATIVE_FIELDS: tuple[str, ...] = (
    FRONT_MATTER_FIELDS
    + ("organisation_text", "what_we_did_and_why", "how_we_did_it", "challenges",
       "service_user_quotes", "service_user_quotes_consented", "results_and_next_steps",
       "costs_and_benefits")
    + FIGURE_FIELDS
    + ("tips_for_others", "acknowledgements", "contact_details")
)


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)


@dataclass(frozen=True)
class HeadlineAudit:
    """The headline change in one audit: compliance pooled over every ward audited at the first
    stage and at the last (met criteria over records x criteria, as each round counts it)."""

    tool: str
    first_stage: str
    last_stage: str
    before: Decimal
    after: Decimal
    wards: int

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def text(self) -> str:
        return (f"{self.tool}: {self.before}% of criteria met at {self.first_stage.lower()}, "
                f"{self.after}% at {self.last_stage.lower()}")


def headline_audit(audits) -> HeadlineAudit | None:
    """The first audit tool audited at two or more stages, first stage against last."""
    from evaluations.findings.selectors import compliance

    for trend in audits.trends if audits else []:
        rounds = [r for r in audits.rounds if r.tool == trend.tool]

        def key(name: str) -> str:
            return name.strip().lower()

        staged = [stage for stage in trend.stages if any(key(r.stage_name) == key(stage) for r in rounds)]
        if len(staged) < 2:
            continue
        pooled = []
        for stage in (staged[0], staged[-1]):
            mine = [r for r in rounds if key(r.stage_name) == key(stage)]
            met, possible = sum(r.met for r in mine), sum(r.possible for r in mine)
            pooled.append((compliance(met, 1, possible), len({r.ward for r in mine})))
        (before, _), (after, wards) = pooled
        if before is None or after is None:
            continue
        return HeadlineAudit(trend.tool, staged[0], staged[-1], before, after, wards)
    return None


def whole_hours(hours: Decimal) -> Decimal:
    """Hours as the tables print them (floatformat:0 rounds half up)."""
    return Decimal(hours).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def logo_data_uri(narrative: CaseStudyNarrative) -> str:
    """The uploaded logo as a data: URI (the PDF's fetcher reads nothing else from outside
    the static folder); "" when there is none or it cannot be read."""
    if not narrative.logo:
        return ""
    try:
        with narrative.logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    kind = "png" if content.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(content).decode()}"


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
    headline_audit: HeadlineAudit | None = None
    logo_data_uri: str = ""
    sections: tuple[Section, ...] = SECTIONS

    @property
    def contents(self) -> tuple[Section, ...]:
        """The sections the contents list names (the at-a-glance box is on the cover)."""
        return tuple(s for s in self.sections if s.key != "at-a-glance")

    @property
    def tips(self) -> list[str]:
        return [line.strip().lstrip("-*\u2022 ").strip() for line in self.narrative.tips_for_others.splitlines()
                if line.strip().lstrip("-*\u2022 ").strip()]

    @property
    def total_cost(self) -> Decimal | None:
        cost = self.narrative.cost_per_trainee
        return None if cost is None else cost * self.totals["enrolled"]

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
    enrolments = list(Enrolment.objects.filter(cohort__programme=programme).select_related("cohort"))
    progress(35, "Adding up protected study time")
    study_time = study_time_by_cohort(Enrolment.objects.filter(cohort__programme=programme), today)
    no_time = StudyTime(Decimal(0), Decimal(0), Decimal(0))
    progressed_to: dict[int, set[str]] = {}
    for e in enrolments:
        if e.outcome == "progressed" and e.outcome_detail:
            progressed_to.setdefault(e.cohort_id, set()).add(e.outcome_detail)
    results = []
    for cohort in cohorts:
        hours = study_time.get(cohort.pk, no_time)
        results.append(CohortResult(
            name=cohort.name, starts_on=cohort.starts_on, ends_on=cohort.ends_on,
            enrolled=cohort.n_enrolled, active=cohort.n_active, completed=cohort.n_completed,
            withdrawn=cohort.n_withdrawn, qualified=cohort.n_qualified,
            progressed=cohort.n_progressed, returned=cohort.n_returned,
            progressed_to=sorted(progressed_to.get(cohort.pk, ())),
            hours_planned=hours.planned, hours_taken=hours.taken, hours_lost=hours.lost,
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
                       [f"{r.study_time_percent or 0}% "
                        f"({whole_hours(r.hours_taken)} of {whole_hours(r.hours_planned)} hours)"
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
    study.headline_audit = headline_audit(study.audits)
    study.logo_data_uri = logo_data_uri(narrative)
    return study
