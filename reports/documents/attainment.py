"""Competency attainment against the role profile's targets, across a programme's cohorts: for
each competency, how many trainees have reached its target level on signed-off evidence; per
cohort and per kind (core, role-specific), the share of targets met. Used by the case study's
"Evaluation of the impact of the role".

Trainees who withdrew are not counted (the matrix leaves them out too); those who completed are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString

from competencies.evidence.selectors import COUNTED_STATUSES, attainment_counts
from competencies.models import RoleProfileItem
from evaluations.findings.charts import Series, bar_chart
from trainees.models import Enrolment


def percent(part: int, whole: int) -> int | None:
    return None if not whole else round(part * 100 / whole)


@dataclass
class Share:
    """``met`` of ``possible`` (trainee, competency) targets."""

    label: str
    met: int = 0
    possible: int = 0

    @property
    def percent(self) -> int | None:
        return percent(self.met, self.possible)

    @property
    def text(self) -> str:
        return f"{self.percent or 0}% ({self.met} of {self.possible})"


@dataclass
class CompetencyRow:
    id_number: str
    name: str
    framework: str
    kind: str
    target_name: str
    met_by_cohort: list[int]  # in the order of Attainment.cohorts
    met: int
    trainees: int


@dataclass
class Attainment:
    cohorts: list[tuple[str, int]]  # (name, trainees counted)
    rows: list[CompetencyRow]
    overall: Share
    by_kind: list[Share]
    by_cohort: list[Share]
    trainees_meeting_all: int = 0
    chart: SafeString | str = field(default="")

    @property
    def trainees(self) -> int:
        return sum(n for _, n in self.cohorts)


def attainment_against_target(*, programme_id: int, enrolments: Sequence[Enrolment]) -> Attainment:
    """``enrolments``: the programme's enrolments with their cohorts loaded (any status; those
    who withdrew are left out here). Two queries, whatever the numbers of trainees and
    competencies: the role profile's items; then, in one, how many counted enrolments of each
    cohort hold each competency at each level and how many meet every target (the database
    counts).

    What counts is what ``attainment_for`` + ``Attained.meets(target)`` say, evaluated in SQL:
    the current version of the pair (the newest decision that is not a self-rating), not
    withdrawn, not past its last valid day, with a level at or above the item's target."""
    counted = [e for e in enrolments if e.status in COUNTED_STATUSES]
    cohort_order: dict[int, int] = {}
    cohorts: list[tuple[str, int]] = []
    for enrolment in sorted(counted, key=lambda e: (e.cohort.starts_on, e.cohort_id)):
        if enrolment.cohort_id not in cohort_order:
            cohort_order[enrolment.cohort_id] = len(cohorts)
            cohorts.append((enrolment.cohort.name, 0))
        index = cohort_order[enrolment.cohort_id]
        cohorts[index] = (cohorts[index][0], cohorts[index][1] + 1)
    items = list(
        RoleProfileItem.objects.filter(profile__programme_id=programme_id)
        .select_related("competency__framework__scale", "competency__scale")
        .order_by("sort_order", "pk")
    )
    levels, meeting_all = _attained_levels(counted, items)
    # Each item reads only its competency's counts (not every competency's, item after item).
    levels_of: dict[int, list[tuple[int, int, int]]] = {}
    for (competency_id, cohort_id, level), n in levels.items():
        levels_of.setdefault(competency_id, []).append((cohort_order[cohort_id], level, n))
    overall = Share("All competencies")
    kinds = {value: Share(f"{label} competencies") for value, label in RoleProfileItem.Kind.choices}
    per_cohort = [Share(name) for name, _ in cohorts]
    rows = []
    for item in items:
        met_by_cohort = [0] * len(cohorts)
        for index, level, n in levels_of.get(item.competency_id, []):
            if level >= item.target_level:
                met_by_cohort[index] += n
        for index, (_, trainees) in enumerate(cohorts):
            for share in (overall, kinds[item.kind], per_cohort[index]):
                share.possible += trainees
                share.met += met_by_cohort[index]
        scale = item.competency.effective_scale()
        rows.append(CompetencyRow(
            id_number=item.competency.id_number, name=item.competency.name,
            framework=item.competency.framework.short_name, kind=item.get_kind_display(),
            target_name=(scale.levels[item.target_level]["name"] if item.target_level < len(scale.levels)
                         else f"Level {item.target_level + 1}"),
            met_by_cohort=met_by_cohort, met=sum(met_by_cohort), trainees=len(counted),
        ))
    result = Attainment(
        cohorts=cohorts, rows=rows, overall=overall,
        by_kind=[share for share in kinds.values() if share.possible], by_cohort=per_cohort,
        trainees_meeting_all=meeting_all,
    )
    if rows and counted:
        result.chart = _chart(result)
    return result


def _attained_levels(
    counted: Sequence[Enrolment], items: Sequence[RoleProfileItem]
) -> tuple[dict[tuple[int, int, int], int], int]:
    """({(competency id, cohort id, level): counted enrolments whose trainee's current version
    counts at that level}, how many of the enrolments meet every item's target). One query
    (none without enrolments or items); the rows counted by the database."""
    targets: dict[int, int] = {}
    for item in items:  # a competency twice in the profile: the higher target must be met
        targets[item.competency_id] = max(item.target_level, targets.get(item.competency_id, 0))
    return attainment_counts(counted, targets, timezone.localdate())


def _chart(result: Attainment) -> SafeString:
    """One bar per cohort and kind of competency (and all of them): the share of targets met.
    Every bar is named and carries its figures, so greyscale loses nothing."""
    categories, values, labels = [], [], []
    for index, (name, trainees) in enumerate(result.cohorts):
        met: dict[str, int] = {}
        for row in result.rows:
            for label in ("All competencies", f"{row.kind} competencies"):
                met[label] = met.get(label, 0) + row.met_by_cohort[index]
        kinds = {row.kind: sum(1 for r in result.rows if r.kind == row.kind) for row in result.rows}
        groups = [("All competencies", len(result.rows))] + [(f"{kind} competencies", n) for kind, n in kinds.items()]
        for label, competencies in groups:
            possible = competencies * trainees
            categories.append(f"{name}: {label[0].lower()}{label[1:]}")
            values.append(percent(met.get(label, 0), possible) or 0)
            labels.append(f"{percent(met.get(label, 0), possible) or 0}% ({met.get(label, 0)} of {possible})")
    return bar_chart(
        title="Competency targets met, by cohort",
        description=("For each cohort, the share of role-profile competency targets its trainees "
                     "have reached on signed-off evidence, for all competencies and by kind."),
        categories=categories, series=[Series("Targets met", values, labels)], max_value=100,
        chart_id="competency-attainment",
    )
