"""The tables a planner can export, gathered through the features' selectors and scoped to the
person: the programmes their organisation leads, and of those the cohorts, enrolments and
trainees they may see. Each table costs a fixed number of queries whatever the size (the
enrolment and attainment queries are shared between the tables that need them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Count, Q, Sum
from django.utils import timezone

from competencies.evidence.selectors import COUNTED_STATUSES, attainment_for
from competencies.models import RoleProfileItem
from competencies.validity import Status
from evaluations.findings.selectors import compliance
from evaluations.models import AuditRound, SatisfactionResult
from programmes.models import Membership
from programmes.selectors import cohorts_visible_to, programmes_visible_to, with_partners
from trainees.models import Enrolment, StudySession
from trainees.selectors import enrolments_visible_to, study_time_lost_by_area, study_time_of, with_progress_figures


@dataclass
class Table:
    name: str  # file or sheet name
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _level_name(scale, index: int | None) -> str:
    if index is None:
        return ""
    return scale.levels[index]["name"] if 0 <= index < len(scale.levels) else f"Level {index + 1}"


class Scope:
    """What one person may export, with the shared reads done once."""

    def __init__(self, membership: Membership, today: date | None = None):
        self.membership = membership
        self.today = today or timezone.localdate()

    @cached_property
    def programmes(self):
        return programmes_visible_to(membership=self.membership).filter(
            organisation_id=self.membership.organisation_id
        )

    @cached_property
    def enrolments(self) -> list[Enrolment]:
        return list(with_progress_figures(
            enrolments_visible_to(membership=self.membership)
            .filter(cohort__programme__in=self.programmes.values("pk"))
        ).order_by("cohort__programme__title", "cohort__starts_on", "cohort_id",
                   "trainee__last_name", "trainee__first_name", "pk"))

    @cached_property
    def items_by_programme(self) -> dict[int, list[RoleProfileItem]]:
        items = (
            RoleProfileItem.objects.filter(profile__programme__in=self.programmes.values("pk"))
            .select_related("profile", "competency__framework__scale", "competency__scale")
            .order_by("sort_order", "pk")
        )
        grouped: dict[int, list[RoleProfileItem]] = defaultdict(list)
        for item in items:
            grouped[item.profile.programme_id].append(item)
        return grouped

    @cached_property
    def attained(self):
        competency_ids = {i.competency_id for items in self.items_by_programme.values() for i in items}
        return attainment_for(list({e.trainee_id for e in self.enrolments}), list(competency_ids))

    def met_count(self, enrolment: Enrolment) -> int:
        items = self.items_by_programme.get(enrolment.cohort.programme_id, [])
        met = 0
        for item in items:
            got = self.attained.get((enrolment.trainee_id, item.competency_id))
            met += got is not None and got.meets(item.target_level)
        return met


def programmes_table(scope: Scope) -> Table:
    table = Table("programmes", [
        "Programme ID", "Programme", "Organisation", "Setting", "Education route", "Partners",
        "Cohorts", "Trainees enrolled", "Completed", "Withdrawn", "Qualified in the role",
        "Progressed to further training",
    ])
    enrolled = "cohorts__enrolments"
    rows = (
        with_partners(scope.programmes)
        .annotate(
            n_cohorts=Count("cohorts", distinct=True),
            n_enrolled=Count(enrolled, distinct=True),
            n_completed=Count(enrolled, distinct=True, filter=Q(cohorts__enrolments__status="completed")),
            n_withdrawn=Count(enrolled, distinct=True, filter=Q(cohorts__enrolments__status="withdrawn")),
            n_qualified=Count(enrolled, distinct=True, filter=Q(cohorts__enrolments__outcome="qualified")),
            n_progressed=Count(enrolled, distinct=True, filter=Q(cohorts__enrolments__outcome="progressed")),
        )
        .order_by("title", "pk")
    )
    for p in rows:
        table.rows.append([
            p.pk, p.title, p.organisation.name, p.setting, p.get_education_route_display(),
            "; ".join(sorted(partner.organisation.name for partner in p.accepted_partnerships)),
            p.n_cohorts, p.n_enrolled, p.n_completed, p.n_withdrawn, p.n_qualified, p.n_progressed,
        ])
    return table


def cohorts_table(scope: Scope) -> Table:
    table = Table("cohorts", [
        "Programme", "Cohort ID", "Cohort", "Intake", "Starts on", "Ends on", "Trainees enrolled",
        "In training", "Completed", "Withdrawn", "Qualified in the role",
        "Progressed to further training", "Returned to previous role",
    ])
    e = "enrolments"
    cohorts = (
        cohorts_visible_to(membership=scope.membership)
        .filter(programme__in=scope.programmes.values("pk"))
        .annotate(
            n_enrolled=Count(e),
            n_active=Count(e, filter=Q(enrolments__status__in=["applied", "active", "paused"])),
            n_completed=Count(e, filter=Q(enrolments__status="completed")),
            n_withdrawn=Count(e, filter=Q(enrolments__status="withdrawn")),
            n_qualified=Count(e, filter=Q(enrolments__outcome="qualified")),
            n_progressed=Count(e, filter=Q(enrolments__outcome="progressed")),
            n_returned=Count(e, filter=Q(enrolments__outcome="returned")),
        )
        .order_by("programme__title", "starts_on", "pk")
    )
    for c in cohorts:
        table.rows.append([
            c.programme.title, c.pk, c.name, c.intake_number, c.starts_on, c.ends_on, c.n_enrolled,
            c.n_active, c.n_completed, c.n_withdrawn, c.n_qualified, c.n_progressed, c.n_returned,
        ])
    return table


def enrolments_table(scope: Scope) -> Table:
    table = Table("enrolments", [
        "Programme", "Cohort", "Enrolment ID", "Trainee", "Employee number", "Band", "Ward or area",
        "Status", "Outcome", "Outcome detail", "Enrolled on", "Ended on",
        "Study hours a week (plan)", "Study hours planned to date", "Study hours taken",
        "Study hours lost", "Taken as % of plan", "Last review", "Competencies at target",
        "Competencies in the role profile",
    ])
    for e in scope.enrolments:
        study = study_time_of(e, scope.today)
        trainee = e.trainee
        table.rows.append([
            e.cohort.programme.title, e.cohort.name, e.pk, trainee.full_name, trainee.employee_number,
            trainee.band, trainee.clinical_area.name if trainee.clinical_area else "",
            e.get_status_display(), e.get_outcome_display() if e.outcome else "", e.outcome_detail,
            e.enrolled_on, e.ended_on, e.planned_hours_per_week, study.planned, study.taken, study.lost,
            study.percent, e.last_review_on, scope.met_count(e),
            len(scope.items_by_programme.get(e.cohort.programme_id, [])),
        ])
    return table


def attainment_table(scope: Scope) -> Table:
    """One row per trainee and role-profile competency (withdrawn trainees left out)."""
    table = Table("attainment", [
        "Programme", "Cohort", "Trainee", "Employee number", "Framework", "Competency ID",
        "Competency", "Kind", "Target level", "Level reached", "At target", "Signed off on",
        "Status", "Valid until",
    ])
    for e in scope.enrolments:
        if e.status not in COUNTED_STATUSES:
            continue
        for item in scope.items_by_programme.get(e.cohort.programme_id, []):
            competency = item.competency
            scale = competency.effective_scale()
            got = scope.attained.get((e.trainee_id, item.competency_id))
            table.rows.append([
                e.cohort.programme.title, e.cohort.name, e.trainee.full_name, e.trainee.employee_number,
                str(competency.framework), competency.id_number, competency.name,
                item.get_kind_display(), _level_name(scale, item.target_level),
                _level_name(scale, got.level) if got else "",
                got is not None and got.meets(item.target_level),
                got.signed_off_on if got else None,
                Status.LABELS[got.status] if got else "",
                got.valid_until if got else None,
            ])
    return table


def study_time_lost_table(scope: Scope) -> Table:
    table = Table(
        "study_time_lost", ["Ward or area", "Reason", "Hours lost", "Sessions", "Sessions with cover arranged"]
    )
    reasons = dict(StudySession.LostReason.choices)
    rows = study_time_lost_by_area(membership=scope.membership).filter(
        enrolment__cohort__programme__in=scope.programmes.values("pk")
    )
    for row in rows:
        table.rows.append([
            row["enrolment__trainee__clinical_area__name"] or "", reasons.get(row["lost_reason"], row["lost_reason"]),
            row["hours"], row["sessions"], row["covered"],
        ])
    return table


def audits_table(scope: Scope) -> Table:
    table = Table("audits", [
        "Programme", "Audit", "Ward or area", "Stage", "Held on", "Records sampled", "Criteria",
        "Criteria met (all records)", "Compliance %",
    ])
    rounds = (
        AuditRound.objects.filter(programme__in=scope.programmes.values("pk"))
        .select_related("programme", "tool", "clinical_area")
        .annotate(n_met=Sum("results__records_met"), n_criteria=Count("results"))
        .order_by("programme__title", "tool__name", "held_on", "pk")
    )
    for r in rounds:
        table.rows.append([
            r.programme.title, r.tool.name, r.clinical_area.name, r.stage_name, r.held_on,
            r.records_sampled, r.n_criteria, r.n_met or 0, compliance(r.n_met or 0, r.records_sampled, r.n_criteria),
        ])
    return table


def satisfaction_table(scope: Scope) -> Table:
    table = Table("satisfaction", [
        "Programme", "Ward or area", "Period starts", "Period ends", "Responses", "Satisfied %", "Source",
    ])
    results = (
        SatisfactionResult.objects.filter(programme__in=scope.programmes.values("pk"))
        .select_related("programme", "clinical_area")
        .order_by("programme__title", "period_start", "clinical_area__name", "pk")
    )
    for r in results:
        table.rows.append([
            r.programme.title, r.clinical_area.name, r.period_start, r.period_end, r.responses, r.score, r.source,
        ])
    return table


# name -> (label for the form, gatherer)
DATASETS = {
    "programmes": ("Programmes", programmes_table),
    "cohorts": ("Cohorts and their outcomes", cohorts_table),
    "enrolments": ("Enrolments with outcomes, study time and attainment", enrolments_table),
    "attainment": ("Competency attainment: each trainee against each target", attainment_table),
    "study_time_lost": ("Protected study time lost, by ward and reason", study_time_lost_table),
    "audits": ("Evaluation: audit compliance", audits_table),
    "satisfaction": ("Evaluation: service-user satisfaction", satisfaction_table),
}


def gather_tables(*, membership: Membership, names: list[str], today: date | None = None) -> list[Table]:
    scope = Scope(membership, today)
    return [DATASETS[name][1](scope) for name in DATASETS if name in names]
