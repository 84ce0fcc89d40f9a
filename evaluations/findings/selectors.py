"""Reads for themes and coding, findings, audits and satisfaction.

Who may see what (the access table in tests/access_entries/findings.py agrees):
- reading findings, audits, satisfaction and the code list: training leads and workforce
  planners of the programme's *lead* organisation. Coded answers are sensitive (what staff said
  about their pay, their managers, their wards) even when the quotes shown are consented, so
  line managers, mentors, lecturers and trainees are refused (403), and so are partner
  organisations, who see the programme but not its evaluation data (403);
- changing anything (themes, coding, audit rounds, satisfaction results): the lead
  organisation's training leads (programmes.selectors.can_change_programme);
- another organisation's objects: 404, as everywhere.

The access helpers return the object or raise Http404/PermissionDenied: a programme's or a
cohort's evaluation through programmes.selectors (``get_programme_for`` / ``get_cohort_for``
with ``evaluation=True``), a stage through evaluations.interviews.selectors.get_stage_for. The report
selectors (findings_for, audit_summary, satisfaction_summary) take objects the caller has
already been allowed to read, and return plain data: the PDF report generator calls them too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Min, Sum
from django.utils.safestring import SafeString

from core.access import get_scoped_or_404
from core.prepared import Param, Statement, compiled_once, list_size, list_values, param_list
from programmes.models import Cohort, Membership, Programme
from programmes.selectors import EVALUATION_READERS, check_programme_access, programmes_visible_to

from ..models import (
    Answer,
    AuditRound,
    AuditTool,
    Coding,
    Interview,
    ProgrammeStage,
    Question,
    SatisfactionResult,
    Stage,
    Subject,
    Theme,
)
from . import charts

FINDINGS_READERS = EVALUATION_READERS  # the lead organisation's training leads and planners
SUBJECTS = (Subject.TRAINEE, Subject.MANAGER)
SUBJECT_PLURAL = {Subject.TRAINEE: "Trainees", Subject.MANAGER: "Managers"}


# --- Access ----------------------------------------------------------------------------------


def get_theme_for(*, membership: Membership | None, pk) -> Theme:
    """A theme, to change or delete: 404 unless its programme is visible, 403 unless the person
    may change it."""
    theme = get_scoped_or_404(
        Theme.objects.filter(
            programme__in=programmes_visible_to(membership=membership).values("pk")
        ).select_related("programme", "programme__organisation"),
        membership, None, pk=pk,
    )
    check_programme_access(membership, theme.programme, write=True, noun="theme")
    return theme


# --- The code list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme
    codings: int  # answers coded with it


def themes_of(*, programme: Programme) -> list[ThemeRow]:
    """The programme's code list, by name, with how often each theme is used. One query."""
    themes = Theme.objects.filter(programme=programme).annotate(n=Count("codings")).order_by("name")
    return [ThemeRow(theme, theme.n) for theme in themes]


def missing_default_themes(rows: list[ThemeRow]) -> list[str]:
    from .defaults import DEFAULT_THEMES

    have = {row.theme.name.lower() for row in rows}
    return [name for name, _ in DEFAULT_THEMES if name.lower() not in have]


# --- The coding sheet --------------------------------------------------------------------------


@dataclass
class AnswerToCode:
    answer: Answer
    question: Question
    theme_ids: list[int]
    excerpt: str
    is_quote: bool


@dataclass
class InterviewToCode:
    interview: Interview
    subject_label: str
    person: str
    answers: list[AnswerToCode] = field(default_factory=list)

    @property
    def can_quote(self) -> bool:
        return self.interview.consent_to_quote


def interview_person(interview: Interview) -> str:
    """The interviewee's name (for the people allowed to see names)."""
    if interview.subject == Subject.TRAINEE:
        return interview.enrolment.trainee.full_name
    return interview.manager.get_full_name() or interview.manager.get_username()


def coding_sheet(*, stage: Stage) -> list[InterviewToCode]:
    """The completed interviews of a stage, trainees first, each with its non-blank free-text
    answers and how they are coded. Two queries, whatever the number of answers."""
    answers = (
        Answer.objects.filter(
            interview__stage=stage, interview__status=Interview.Status.DONE,
            question__kind=Question.Kind.TEXT,
        )
        .exclude(value__regex=r"^\s*$")
        .select_related("question", "interview", "interview__enrolment__trainee", "interview__manager")
        .prefetch_related("codings")
        .order_by("-interview__subject", "interview__held_on", "interview_id", "question__order", "pk")
    )
    sheet: dict[int, InterviewToCode] = {}
    for answer in answers:
        interview = answer.interview
        entry = sheet.get(interview.pk)
        if entry is None:
            entry = sheet[interview.pk] = InterviewToCode(
                interview=interview,
                subject_label=Subject(interview.subject).label,
                person=interview_person(interview),
            )
        codings = list(answer.codings.all())
        entry.answers.append(AnswerToCode(
            answer=answer, question=answer.question,
            theme_ids=[c.theme_id for c in codings],
            excerpt=next((c.excerpt for c in codings if c.excerpt), ""),
            is_quote=any(c.is_quote for c in codings),
        ))
    return list(sheet.values())


# --- Findings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A consented quote: the excerpt (or the whole answer), attributed by role and stage only."""

    text: str
    theme: str
    subject: str
    stage: str

    @property
    def attribution(self) -> str:
        return f"{Subject(self.subject).label}, {self.stage}"


@dataclass
class ThemeCount:
    theme_id: int
    name: str
    description: str
    interviews: int = 0  # completed interviews with at least one answer coded with the theme
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class SubjectFindings:
    subject: str
    label: str  # "Trainees", "Managers"
    interviews: int  # completed interviews in scope: the denominator of every count
    themes: list[ThemeCount]  # every theme of the code list, most mentioned first

    @property
    def mentioned(self) -> list[ThemeCount]:
        return [t for t in self.themes if t.interviews]

    @property
    def quotes(self) -> list[Quote]:
        """Every quote once (an excerpt coded with two themes is listed under both themes, but
        once here, under the first), most mentioned theme first."""
        seen, unique = set(), []
        for quote in (q for t in self.themes for q in t.quotes):
            key = (quote.text, quote.stage)
            if key not in seen:
                seen.add(key)
                unique.append(quote)
        return unique

    def count(self, theme_id: int) -> int:
        return next((t.interviews for t in self.themes if t.theme_id == theme_id), 0)


@dataclass
class StageFindings:
    name: str
    order: int
    stage_ids: list[int]
    trainee: SubjectFindings
    manager: SubjectFindings

    def subject(self, subject: str) -> SubjectFindings:
        return self.trainee if subject == Subject.TRAINEE else self.manager


@dataclass(frozen=True)
class ChangeRow:
    theme: str
    counts: list[int]  # per stage, in stage order
    labels: list[str]  # "3 of 5" per stage


@dataclass(frozen=True)
class Change:
    """How the themes of one subject change across the stages (start to qualification)."""

    subject: str
    label: str
    stages: list[str]
    interviews: list[int]  # completed interviews per stage
    rows: list[ChangeRow]  # themes mentioned at some stage, in code-list order

    def chart(self, chart_id: str = "") -> SafeString:
        return charts.bar_chart(
            title=f"{self.label}: interviews mentioning each theme, by stage",
            description=(
                "For each theme, one bar per stage: the number of completed interviews "
                "that mentioned it, out of the interviews held at that stage."
            ),
            categories=[row.theme for row in self.rows],
            series=[
                charts.Series(stage, [row.counts[i] for row in self.rows], [row.labels[i] for row in self.rows])
                for i, stage in enumerate(self.stages)
            ],
            max_value=max([*self.interviews, 1]),
            chart_id=chart_id or f"change-{self.subject}", show_series_names=True,
        )


@dataclass
class Findings:
    """Coded findings for a scope (a stage, a cohort, or a programme's cohorts together):
    overall per subject, and per stage (for a programme, stages of the same name across cohorts
    are taken together). Counts are of completed interviews; quotes only ever come from
    codings marked quotable on interviews whose subject consents to be quoted."""

    themes: list[tuple[int, str]]  # the code list (pk, name), by name
    trainee: SubjectFindings
    manager: SubjectFindings
    stages: list[StageFindings]

    def subject(self, subject: str) -> SubjectFindings:
        return self.trainee if subject == Subject.TRAINEE else self.manager

    @property
    def by_subject(self) -> list[SubjectFindings]:
        return [self.trainee, self.manager]

    def change(self, subject: str) -> Change:
        per_stage = [stage.subject(subject) for stage in self.stages]
        rows = []
        for theme_id, name in self.themes:
            counts = [s.count(theme_id) for s in per_stage]
            if any(counts):
                labels = [f"{n} of {s.interviews}" for n, s in zip(counts, per_stage, strict=True)]
                rows.append(ChangeRow(name, counts, labels))
        return Change(
            subject=subject, label=SUBJECT_PLURAL[subject], stages=[s.name for s in self.stages],
            interviews=[s.interviews for s in per_stage], rows=rows,
        )

    @property
    def changes(self) -> list[Change]:
        return [self.change(subject) for subject in SUBJECTS]


# The rows of _coded, told apart by their first column.
_HELD, _MENTIONS, _QUOTE = 0, 1, 2


@compiled_once
def _coded(size: int, capped: bool) -> Statement:
    """The coding of the stages' completed interviews (Params stage0..stage<size-1>, padded as
    list_values pads them; "max_quotes" when ``capped``), in one statement whose first column
    says what each row is:

    - _HELD: stage id, subject, n: the completed interviews;
    - _MENTIONS: stage id, subject, theme id, n: those with an answer coded with the theme;
    - _QUOTE: stage id, subject, theme id, excerpt, value: the quotable codings of interviews
      whose subject consents to be quoted, by interview, question and coding (the caller puts
      them in stage order); at most "max_quotes" per stage, subject and theme, the first ones,
      which hold the first of any group of stages, as a group keeps each stage's quotes in this
      order.

    It starts from the stages' completed interviews (by the stage index) and reads each one's
    answers and codings by their interview and answer indexes, once for the counts and the
    quotes. Joined as the ORM joins them, PostgreSQL hashes the interviews and scans every
    answer in the database instead (it prices an index probe at four pages read), which grows
    with the whole country's interviews: a LATERAL subquery, whose OFFSET 0 keeps it from being
    merged into such a join. SQLite (`make run`, small) has no LATERAL: a plain join there.
    Written as SQL: the ORM says neither the LATERAL nor the window's filter."""
    interview, answer = Interview._meta.db_table, Answer._meta.db_table
    coding, question = Coding._meta.db_table, Question._meta.db_table
    codings = (
        "SELECT answer.interview_id, answer.question_id, answer.value, coding.id AS coding_id,"  # noqa: S608  # nosec B608 (table names; every value a parameter)
        " coding.theme_id, coding.is_quote, coding.excerpt"
        f" FROM {answer} answer JOIN {coding} coding ON coding.answer_id = answer.id"
    )
    if connection.vendor == "postgresql":
        coded = f"CROSS JOIN LATERAL ({codings} WHERE answer.interview_id = done.id OFFSET 0) AS found"
    else:
        coded = f"JOIN ({codings}) AS found ON found.interview_id = done.id"
    stage_ids = param_list("stage", size)
    quotable = "done.consent_to_quote AND found.is_quote"
    sql = (
        f"WITH done AS (SELECT id, stage_id, subject, consent_to_quote FROM {interview}"  # noqa: S608  # nosec B608 (as above)
        f" WHERE stage_id IN ({', '.join(['%s'] * size)}) AND status = %s),"
        " coded AS (SELECT done.id AS interview_id, done.stage_id, done.subject, found.theme_id,"
        f" found.question_id, found.coding_id, {quotable} AS quotable,"
        f" CASE WHEN {quotable} THEN found.excerpt END AS excerpt,"
        f" CASE WHEN {quotable} THEN found.value END AS value"
        f" FROM done {coded})"
        # The quotes first: their columns give each column its type (a NULL does not).
        f" SELECT {_QUOTE} AS kind, stage_id, subject, theme_id, NULL AS n, excerpt, value, interview_id,"
        " question_order, coding_id"
        " FROM (SELECT coded.*, question.\"order\" AS question_order, ROW_NUMBER() OVER ("
        "PARTITION BY stage_id, subject, theme_id ORDER BY interview_id, question.\"order\", coding_id) AS place"
        f" FROM coded JOIN {question} question ON question.id = coded.question_id WHERE coded.quotable) AS quotes"
        f"{' WHERE place <= %s' if capped else ''}"
        " UNION ALL"
        f" SELECT {_MENTIONS}, stage_id, subject, theme_id, COUNT(DISTINCT interview_id), NULL, NULL, NULL, NULL, NULL"
        " FROM coded GROUP BY stage_id, subject, theme_id"
        " UNION ALL"
        f" SELECT {_HELD}, stage_id, subject, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL"
        " FROM done GROUP BY stage_id, subject"
        " ORDER BY kind, interview_id, question_order, coding_id"
    )
    params = (*stage_ids, Interview.Status.DONE, *([Param("max_quotes")] if capped else []))
    return Statement(sql, params, ("kind", "stage_id", "subject", "theme_id", "n", "excerpt", "value"))


def _interviews_mentions_and_quotes(
    stage_ids: list[int], max_quotes: int | None,
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The stages' (held, mentions, quotes) as _coded describes them, each row a tuple of its
    columns after the first. One query."""
    held, mentions, quotes = [], [], []
    if not stage_ids:
        return held, mentions, quotes
    size = list_size(stage_ids)
    values = list_values("stage", stage_ids, size)
    if max_quotes is not None:
        values["max_quotes"] = max_quotes
    for row in _coded(size, max_quotes is not None).rows(**values):
        kind = row["kind"]
        if kind == _HELD:
            held.append((row["stage_id"], row["subject"], row["n"]))
        elif kind == _MENTIONS:
            mentions.append((row["stage_id"], row["subject"], row["theme_id"], row["n"]))
        else:
            quotes.append((row["stage_id"], row["subject"], row["theme_id"], row["excerpt"], row["value"]))
    return held, mentions, quotes


class _StageRow(NamedTuple):
    pk: int
    name: str
    order: int


# The findings page's own ORM statements, compiled once (core.prepared): it is read on every
# visit, and building them cost more than PostgreSQL took to answer.

@compiled_once
def _stages_of(of_cohort: bool):
    """The stages of a cohort (Param "of": its id) or of a programme, in order."""
    scope = Stage.objects.filter(cohort_id=Param("of")) if of_cohort else Stage.objects.filter(
        cohort__programme_id=Param("of")
    )
    return scope.order_by("order", "opens_on", "pk").values("pk", "name", "order")


@compiled_once
def _themes():
    """A programme's themes (Param programme_id) by name."""
    return Theme.objects.filter(programme_id=Param("programme_id")).order_by("name").values("pk", "name", "description")


def findings_for(
    *, cohort: Cohort | None = None, programme: Programme | None = None, stage: Stage | None = None,
    max_quotes: int | None = None,
) -> Findings:
    """The coded findings of one stage, one cohort or a whole programme (give exactly one).
    ``max_quotes`` caps the quotes kept per theme (per subject, and per stage). Three queries
    (two for a stage), whatever the number of interviews, answers and codings."""
    if sum(x is not None for x in (cohort, programme, stage)) != 1:
        raise TypeError("findings_for takes exactly one of cohort, programme or stage")
    if stage is not None:
        stages = [_StageRow(stage.pk, stage.name, stage.order)]
        programme_id = stage.cohort.programme_id
    else:
        stages = [_StageRow(**row) for row in _stages_of(cohort is not None).rows(of=(cohort or programme).pk)]
        programme_id = cohort.programme_id if cohort else programme.pk
    stage_ids = [s.pk for s in stages]

    themes = [(row["pk"], row["name"], row["description"]) for row in _themes().rows(programme_id=programme_id)]
    held, mentions, quotes = _interviews_mentions_and_quotes(stage_ids, max_quotes)

    # Group the stages: one group per stage for a cohort or a stage; for a programme, one per
    # stage name (ignoring case), ordered by the lowest order any cohort gives it.
    group_of: dict[int, str] = {}
    groups: dict[str, dict] = {}
    for s in stages:
        key = s.name.strip().lower() if programme is not None else str(s.pk)
        group_of[s.pk] = key
        group = groups.setdefault(key, {"name": s.name, "order": s.order, "ids": []})
        group["ids"].append(s.pk)
        group["order"] = min(group["order"], s.order)

    theme_names = {pk: name for pk, name, _ in themes}
    interviews_in: dict[tuple[str, str], int] = defaultdict(int)
    for stage_id, subject, n in held:
        interviews_in[(group_of[stage_id], subject)] += n
    count_in: dict[tuple[str, str, int], int] = defaultdict(int)
    for stage_id, subject, theme_id, n in mentions:
        count_in[(group_of[stage_id], subject, theme_id)] += n
    # By stage order, then as _quotes gives them (a stable sort): a programme's group of stages
    # takes stages of several cohorts.
    stage_order = {s.pk: s.order for s in stages}
    quotes.sort(key=lambda row: stage_order[row[0]])
    quotes_in: dict[tuple[str, str, int], list[Quote]] = defaultdict(list)
    for stage_id, subject, theme_id, excerpt, value in quotes:
        key = group_of[stage_id]
        quotes_in[(key, subject, theme_id)].append(
            Quote(text=(excerpt or value).strip(), theme=theme_names.get(theme_id, ""),
                  subject=subject, stage=groups[key]["name"])
        )

    def subject_findings(keys: list[str], subject: str) -> SubjectFindings:
        rows = []
        for pk, name, description in themes:
            found = [q for key in keys for q in quotes_in.get((key, subject, pk), [])]
            rows.append(ThemeCount(
                theme_id=pk, name=name, description=description,
                interviews=sum(count_in.get((key, subject, pk), 0) for key in keys),
                quotes=found[:max_quotes] if max_quotes is not None else found,
            ))
        rows.sort(key=lambda t: (-t.interviews, t.name.lower()))
        return SubjectFindings(
            subject=subject, label=SUBJECT_PLURAL[subject],
            interviews=sum(interviews_in.get((key, subject), 0) for key in keys), themes=rows,
        )

    # Stable: stages of equal order keep their opening-date order.
    ordered = sorted(groups.items(), key=lambda item: item[1]["order"])
    all_keys = [key for key, _ in ordered]
    return Findings(
        themes=[(pk, name) for pk, name, _ in themes],
        trainee=subject_findings(all_keys, Subject.TRAINEE),
        manager=subject_findings(all_keys, Subject.MANAGER),
        stages=[
            StageFindings(
                name=group["name"], order=group["order"], stage_ids=group["ids"],
                trainee=subject_findings([key], Subject.TRAINEE),
                manager=subject_findings([key], Subject.MANAGER),
            )
            for key, group in ordered
        ],
    )


# --- Audits ------------------------------------------------------------------------------------


def audit_tools_for(*, organisation_id: int):
    """The organisation's audit tools with their criteria. Two queries."""
    return AuditTool.objects.filter(organisation_id=organisation_id).prefetch_related("criteria").order_by("name")


def compliance(met: int, sampled: int, criteria: int) -> Decimal | None:
    """Percentage of criteria met across the records: met / (sampled x criteria), to one
    decimal place (half up). None when nothing was audited."""
    possible = (sampled or 0) * (criteria or 0)
    if not possible:
        return None
    return (Decimal(met or 0) * 100 / possible).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AuditRoundRow:
    pk: int
    tool: str
    tool_id: int
    ward: str
    stage_name: str
    held_on: date
    records_sampled: int
    criteria: int
    met: int

    @property
    def possible(self) -> int:
        return self.records_sampled * self.criteria

    @property
    def compliance(self) -> Decimal | None:
        return compliance(self.met, self.records_sampled, self.criteria)


@dataclass(frozen=True)
class WardTrend:
    ward: str
    values: list[Decimal | None]  # compliance per stage, in stage order (None: not audited)


@dataclass(frozen=True)
class ToolTrend:
    tool: str
    stages: list[str]
    wards: list[WardTrend]

    def chart(self, chart_id: str = "") -> SafeString:
        return charts.line_chart(
            title=f"{self.tool}: compliance by stage, per ward",
            description=(
                "Percentage of criteria met across the records sampled, at each stage of the "
                "programme, one line per ward."
            ),
            x_labels=self.stages,
            series=[charts.Series(w.ward, w.values) for w in self.wards],
            y_max=100, unit="%", chart_id=chart_id, y_title="Criteria met (%)", x_title="Stage",
        )


@dataclass(frozen=True)
class AuditSummary:
    rounds: list[AuditRoundRow]  # oldest first
    trends: list[ToolTrend]  # one per audit tool used


def _stage_order(programme: Programme) -> dict[str, int]:
    """The order the programme's evaluation plan and its cohorts give each stage name."""
    order: dict[str, int] = {}
    names = list(ProgrammeStage.objects.filter(programme=programme).values_list("name", "order"))
    names += list(
        Stage.objects.filter(cohort__programme=programme).values_list("name").annotate(o=Min("order")).order_by()
    )
    for name, position in names:
        key = name.strip().lower()
        order[key] = min(order.get(key, position), position)
    return order


def audit_summary(*, programme: Programme) -> AuditSummary:
    """The programme's audit rounds with compliance, and per tool the trend by stage for each
    ward (rounds of the same ward and stage are pooled: total met over total possible). Stages
    follow the programme's evaluation plan, then the date they were first audited. Three
    queries."""
    rounds = [
        AuditRoundRow(
            pk=r.pk, tool=r.tool.name, tool_id=r.tool_id, ward=r.clinical_area.name,
            stage_name=r.stage_name, held_on=r.held_on, records_sampled=r.records_sampled,
            criteria=r.n_criteria, met=r.n_met or 0,
        )
        for r in AuditRound.objects.filter(programme=programme)
        .select_related("tool", "clinical_area")
        .annotate(n_met=Sum("results__records_met"), n_criteria=Count("results"))
        .order_by("held_on", "pk")
    ]
    plan = _stage_order(programme)
    trends = []
    for tool_id in dict.fromkeys(r.tool_id for r in rounds):
        mine = [r for r in rounds if r.tool_id == tool_id]
        first_seen: dict[str, tuple] = {}
        for r in mine:
            key = r.stage_name.strip().lower()
            first_seen.setdefault(key, (plan.get(key, 10_000), r.held_on, r.stage_name))
        stage_keys = sorted(first_seen, key=lambda k: first_seen[k][:2])
        totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for r in mine:
            total = totals[(r.ward, r.stage_name.strip().lower())]
            total[0] += r.met
            total[1] += r.records_sampled * r.criteria
        wards = sorted({r.ward for r in mine}, key=str.lower)
        trends.append(ToolTrend(
            tool=mine[0].tool,
            stages=[first_seen[k][2] for k in stage_keys],
            wards=[
                WardTrend(ward, [
                    compliance(*totals[(ward, k)], 1) if (ward, k) in totals else None for k in stage_keys
                ])
                for ward in wards
            ],
        ))
    return AuditSummary(rounds=rounds, trends=trends)


# --- Service-user satisfaction -----------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionRow:
    pk: int
    ward: str
    period_start: date
    period_end: date
    responses: int
    score: Decimal
    questions: list[str]
    source: str


@dataclass(frozen=True)
class SatisfactionSummary:
    rows: list[SatisfactionRow]  # by period, then ward
    periods: list[tuple[date, date]]  # distinct periods, by start
    wards: list[tuple[str, list[Decimal | None]]]  # score per period, per ward

    @property
    def period_labels(self) -> list[str]:
        # On the chart, a period is named by its start: "Mar 2026" or "1 Mar 2026".
        monthly = all(start.day == 1 for start, _ in self.periods)
        return [f"{start:%b %Y}" if monthly else f"{start:%-d %b %Y}" for start, _ in self.periods]

    def chart(self, chart_id: str = "satisfaction-trend") -> SafeString:
        return charts.line_chart(
            title="Service-user satisfaction by period, per ward",
            description="Percentage of respondents satisfied in each period, one line per ward.",
            x_labels=self.period_labels,
            series=[charts.Series(ward, values) for ward, values in self.wards],
            y_max=100, unit="%", chart_id=chart_id, y_title="Respondents satisfied (%)",
            x_title="Period starting",
        )


def satisfaction_summary(*, programme: Programme) -> SatisfactionSummary:
    """The programme's satisfaction results and their trend per ward. One query."""
    results = (
        SatisfactionResult.objects.filter(programme=programme)
        .select_related("clinical_area").order_by("period_start", "clinical_area__name", "pk")
    )
    rows = [
        SatisfactionRow(
            pk=r.pk, ward=r.clinical_area.name, period_start=r.period_start, period_end=r.period_end,
            responses=r.responses, score=r.score,
            questions=[q for q in r.questions.splitlines() if q.strip()], source=r.source,
        )
        for r in results
    ]
    starts = sorted({r.period_start for r in rows})
    ends = {}
    for r in rows:
        ends.setdefault(r.period_start, r.period_end)
    scores = {(r.ward, r.period_start): r.score for r in rows}
    wards = sorted({r.ward for r in rows}, key=str.lower)
    return SatisfactionSummary(
        rows=rows,
        periods=[(start, ends[start]) for start in starts],
        wards=[(ward, [scores.get((ward, start)) for start in starts]) for ward in wards],
    )
