"""Writes for themes and coding, audits and satisfaction results.

Callers (views, the API, commands) have already checked that the actor may write (see
selectors.get_*_for(write=True)); these functions check the data, write it in a transaction and
raise ValidationError, keyed by the field at fault, when it is wrong. Coding, AuditRound,
AuditResult and SatisfactionResult are audit-logged (evaluations/apps.py): rows are saved one by
one, never with bulk_create, so each change keeps who made it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from core.csv_import import Problem
from programmes.models import ClinicalArea, Organisation, Programme

from ..models import (
    Answer,
    AuditCriterion,
    AuditResult,
    AuditRound,
    AuditTool,
    Coding,
    Interview,
    SatisfactionResult,
    Subject,
    Theme,
)
from .defaults import (
    DEFAULT_THEMES,
    PHYSICAL_HEALTH_AUDIT_CRITERIA,
    PHYSICAL_HEALTH_AUDIT_DESCRIPTION,
    PHYSICAL_HEALTH_AUDIT_NAME,
)

# --- Themes (the programme's code list) ------------------------------------------------------


def _check_theme_name(programme: Programme, name: str, *, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter the theme's name"})
    if len(name) > Theme._meta.get_field("name").max_length:
        raise ValidationError({"name": "The theme's name must be 100 characters or fewer"})
    taken = Theme.objects.filter(programme=programme, name__iexact=name)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": f"The code list already has a theme called “{name}”"})
    return name


@transaction.atomic
def theme_create(*, programme: Programme, name: str, description: str = "", actor=None) -> Theme:
    """Add a theme to the programme's code list. Names are unique, ignoring case."""
    name = _check_theme_name(programme, name)
    theme = Theme(programme=programme, name=name, description=(description or "").strip())
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, name: str, description: str = "", actor=None) -> Theme:
    """Rename or re-describe a theme; its codings follow it."""
    theme.name = _check_theme_name(theme.programme, name, exclude_pk=theme.pk)
    theme.description = (description or "").strip()
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme, actor=None) -> int:
    """Delete a theme and the codings that use it (each removal is audit-logged). Returns how
    many codings went with it."""
    codings = list(Coding.objects.filter(theme=theme))
    for coding in codings:
        coding.delete()
    theme.delete()
    return len(codings)


@transaction.atomic
def themes_add_defaults(*, programme: Programme, actor=None) -> list[Theme]:
    """Add the suggested themes the code list does not have yet (by name, ignoring case).
    Idempotent; returns the themes added."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # one at a time
    have = {name.lower() for name in Theme.objects.filter(programme=programme).values_list("name", flat=True)}
    added = []
    for name, description in DEFAULT_THEMES:
        if name.lower() not in have:
            theme = Theme(programme=programme, name=name, description=description)
            theme.full_clean()
            theme.save()
            added.append(theme)
    return added


# --- Coding ----------------------------------------------------------------------------------


def find_excerpt(excerpt: str, text: str) -> str | None:
    """Where ``excerpt`` occurs in ``text``, as the text has it, or None. Runs of whitespace
    match any whitespace, so an excerpt copied across a line break is still found; case and
    punctuation must match."""
    words = (excerpt or "").split()
    if not words:
        return ""
    match = re.search(r"\s+".join(re.escape(word) for word in words), text or "")
    return match.group(0) if match else None


def _check_coding(*, answer: Answer, theme: Theme, excerpt: str, is_quote: bool) -> str:
    """The excerpt as it appears in the answer; ValidationError if the coding is not allowed."""
    interview = answer.interview
    if theme.programme_id != interview.stage.cohort.programme_id:
        raise ValidationError({"themes": "That theme belongs to another programme's code list."})
    if interview.status != Interview.Status.DONE:
        raise ValidationError("Only completed interviews can be coded.")
    if not (answer.value or "").strip():
        raise ValidationError("This answer is blank: there is nothing to code.")
    found = find_excerpt(excerpt, answer.value)
    if found is None:
        shown = " ".join(excerpt.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        raise ValidationError(
            {"excerpt": f"The excerpt must be copied from the answer: “{shown}” is not in it"}
        )
    if is_quote and not interview.consent_to_quote:
        who = "trainee" if interview.subject == Subject.TRAINEE else "manager"
        raise ValidationError(
            {"is_quote": f"This answer cannot be quoted: the {who} did not consent to being "
                         "quoted. Untick “quotable” to code it without quoting it"}
        )
    return found


def _load_answer(answer: Answer) -> Answer:
    # Lock the answer so two people coding it at once queue rather than race; load what the
    # checks read in the same query.
    return (
        Answer.objects.select_for_update(of=("self",))
        .select_related("interview", "interview__stage", "interview__stage__cohort")
        .get(pk=answer.pk)
    )


@transaction.atomic
def coding_add(
    *, answer: Answer, theme: Theme, excerpt: str = "", is_quote: bool = False, actor=None
) -> Coding:
    """Code an answer with a theme, or change the excerpt and quotability of an existing coding.

    Refused (ValidationError) when the theme is another programme's, the interview is not done,
    the excerpt is not part of the answer, or ``is_quote`` is asked for an interview without
    consent to quote. Locks the answer row."""
    answer = _load_answer(answer)
    found = _check_coding(answer=answer, theme=theme, excerpt=excerpt, is_quote=is_quote)
    coding = Coding.objects.filter(answer=answer, theme=theme).first()
    if coding is None:
        coding = Coding(answer=answer, theme=theme, coded_by=actor)
    coding.excerpt, coding.is_quote = found, bool(is_quote)
    coding.full_clean(exclude=["coded_by"], validate_unique=False)
    coding.save()
    return coding


@transaction.atomic
def coding_remove(*, coding: Coding, actor=None) -> None:
    coding.delete()


@transaction.atomic
def answer_coding_set(
    *, answer: Answer, themes: Iterable[Theme], excerpt: str = "", is_quote: bool = False, actor=None
) -> list[Coding]:
    """Make the answer's codings exactly ``themes``, each with this excerpt and quotability
    (what the coding page's form for one answer says). All or nothing."""
    themes = list(themes)
    if not themes and ((excerpt or "").strip() or is_quote):
        raise ValidationError({"themes": "Choose at least one theme for the excerpt"})
    answer = _load_answer(answer)
    kept = []
    for theme in themes:
        kept.append(coding_add(answer=answer, theme=theme, excerpt=excerpt, is_quote=is_quote, actor=actor))
    for coding in Coding.objects.filter(answer=answer).exclude(theme__in=[t.pk for t in themes]):
        coding_remove(coding=coding, actor=actor)
    return kept


# --- Audits ----------------------------------------------------------------------------------


@transaction.atomic
def audit_tools_ensure_defaults(*, organisation: Organisation) -> AuditTool:
    """The organisation's physical healthcare assessment audit, created with its four criteria
    if the organisation has none by that name. Idempotent, and safe from two processes at once
    (the organisation row is locked while it checks)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    tool = AuditTool.objects.filter(organisation=organisation, name__iexact=PHYSICAL_HEALTH_AUDIT_NAME).first()
    if tool is None:
        tool = _audit_tool_save(
            organisation=organisation, name=PHYSICAL_HEALTH_AUDIT_NAME,
            description=PHYSICAL_HEALTH_AUDIT_DESCRIPTION, criteria=list(PHYSICAL_HEALTH_AUDIT_CRITERIA),
        )
    return tool


def _audit_tool_save(*, organisation, name, description, criteria) -> AuditTool:
    tool = AuditTool(organisation=organisation, name=name, description=description)
    tool.full_clean()
    tool.save()
    for order, text in enumerate(criteria, start=1):
        criterion = AuditCriterion(tool=tool, order=order, text=text)
        criterion.full_clean()
        criterion.save()
    return tool


@transaction.atomic
def audit_tool_create(
    *, organisation: Organisation, name: str, description: str = "", criteria: list[str], actor=None
) -> AuditTool:
    """A new audit tool with its criteria, in the order given. Names are unique in the
    organisation, ignoring case; criteria are 300 characters at most, and not repeated."""
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = ["Enter the audit tool's name"]
    elif len(name) > 200:
        errors["name"] = ["The name must be 200 characters or fewer"]
    elif AuditTool.objects.filter(organisation=organisation, name__iexact=name).exists():
        errors["name"] = [f"There is already an audit tool called “{name}”"]
    criteria = list(dict.fromkeys(" ".join(c.split()) for c in criteria if c and c.strip()))
    if not criteria:
        errors["criteria"] = ["Enter at least one criterion, one a line"]
    elif any(len(c) > 300 for c in criteria):
        errors["criteria"] = ["Each criterion must be 300 characters or fewer"]
    if errors:
        raise ValidationError(errors)
    return _audit_tool_save(
        organisation=organisation, name=name, description=(description or "").strip(), criteria=criteria
    )


def criterion_field(criterion_pk: int) -> str:
    """The form field (and ValidationError key) for the records meeting one criterion."""
    return f"criterion_{criterion_pk}"


@transaction.atomic
def audit_round_record(
    *, programme: Programme, tool: AuditTool, clinical_area: ClinicalArea, stage_name: str,
    held_on: date, records_sampled: int, results: Mapping[int, int], actor=None,
) -> AuditRound:
    """Record one round of an audit on a ward: the records sampled and, for every criterion of
    the tool (``results``: criterion pk -> records meeting it), how many met it. Each count must
    be between 0 and the number sampled. Every problem is reported at once, keyed by field
    (``criterion_<pk>`` for a criterion)."""
    errors: dict[str, list[str]] = {}
    if tool.organisation_id != programme.organisation_id:
        errors["tool"] = ["Choose one of your organisation's audit tools"]
    if not programme.clinical_areas.filter(pk=clinical_area.pk).exists():
        errors["clinical_area"] = ["Choose one of the programme's wards or clinical areas"]
    stage_name = " ".join((stage_name or "").split())
    if not stage_name:
        errors["stage_name"] = ["Enter the stage of the programme, for example Mid-way"]
    elif len(stage_name) > 100:
        errors["stage_name"] = ["The stage must be 100 characters or fewer"]
    if held_on is None:
        errors["held_on"] = ["Enter the date of the audit"]
    elif held_on > timezone.localdate():
        errors["held_on"] = ["The date of the audit must be today or in the past"]
    if records_sampled is None or records_sampled < 1:
        errors["records_sampled"] = ["Records sampled must be 1 or more"]
    criteria = list(tool.criteria.all())
    for criterion in criteria:
        met = results.get(criterion.pk)
        key = criterion_field(criterion.pk)
        if met is None:
            errors[key] = [f"Enter the number of records meeting “{criterion.text}”"]
        elif met < 0:
            errors[key] = [f"Records meeting “{criterion.text}” must be 0 or more"]
        elif records_sampled and met > records_sampled:
            errors[key] = [
                f"Records meeting “{criterion.text}” must be no more than the {records_sampled} "
                "records sampled"
            ]
    unknown = set(results) - {c.pk for c in criteria}
    if unknown:
        errors.setdefault("tool", []).append("The results name criteria that are not in this tool")
    if errors:
        raise ValidationError(errors)
    audit_round = AuditRound(
        tool=tool, programme=programme, clinical_area=clinical_area, stage_name=stage_name,
        held_on=held_on, records_sampled=records_sampled, auditor=actor,
    )
    audit_round.full_clean(exclude=["auditor"])
    audit_round.save()
    for criterion in criteria:
        AuditResult.objects.create(round=audit_round, criterion=criterion, records_met=results[criterion.pk])
    return audit_round


# --- Service-user satisfaction ---------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionInput:
    """One result to record, already turned into domain types (by a form or the CSV parser)."""

    clinical_area: ClinicalArea
    period_start: date
    period_end: date
    responses: int
    score: Decimal
    questions: tuple[str, ...] = ()
    source: str = ""


def check_satisfaction(
    *, programme: Programme, item: SatisfactionInput, ward_ids: set[int], taken: set[tuple[int, date]]
) -> dict[str, list[str]]:
    """What is wrong with one result (field -> messages); empty when it may be saved.
    ``ward_ids``: the programme's wards; ``taken``: (ward pk, period start) already recorded."""
    errors: dict[str, list[str]] = {}
    if item.clinical_area.pk not in ward_ids:
        errors["clinical_area"] = [f"{item.clinical_area.name} is not one of the programme's wards"]
    if item.period_end < item.period_start:
        errors["period_end"] = ["The period must end on or after it starts"]
    if item.responses is None or item.responses < 1:
        errors["responses"] = ["Responses must be 1 or more"]
    if item.score is None or not (Decimal(0) <= item.score <= Decimal(100)):
        errors["score"] = ["The score is a percentage: it must be between 0 and 100"]
    if (item.clinical_area.pk, item.period_start) in taken:
        errors["period_start"] = [
            f"There is already a result for {item.clinical_area.name} for the period starting "
            f"{item.period_start:%-d %B %Y}"
        ]
    if len(item.source) > 200:
        errors["source"] = ["The source must be 200 characters or fewer"]
    return errors


def _satisfaction_save(*, programme, item: SatisfactionInput, actor) -> SatisfactionResult:
    result = SatisfactionResult(
        programme=programme, clinical_area=item.clinical_area, period_start=item.period_start,
        period_end=item.period_end, responses=item.responses,
        score=item.score.quantize(Decimal("0.1")), questions="\n".join(item.questions),
        source=item.source, entered_by=actor,
    )
    result.full_clean(exclude=["entered_by"], validate_unique=False, validate_constraints=False)
    result.save()
    return result


def _lock_and_read(programme: Programme) -> tuple[set[int], set[tuple[int, date]]]:
    # Lock the programme so that two imports (or an import and a hand entry) for it cannot both
    # pass the duplicate check; then read its wards and the periods already recorded.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    ward_ids = set(programme.clinical_areas.values_list("pk", flat=True))
    taken = set(
        SatisfactionResult.objects.filter(programme=programme).values_list("clinical_area_id", "period_start")
    )
    return ward_ids, taken


@transaction.atomic
def satisfaction_record(*, programme: Programme, item: SatisfactionInput, actor=None) -> SatisfactionResult:
    """Record one ward's satisfaction result for a period. One result per ward per period
    start. Locks the programme row."""
    ward_ids, taken = _lock_and_read(programme)
    errors = check_satisfaction(programme=programme, item=item, ward_ids=ward_ids, taken=taken)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return _satisfaction_save(programme=programme, item=item, actor=actor)
    except IntegrityError as exc:  # pragma: no cover - the lock makes this a belt and braces
        raise ValidationError({"period_start": ["There is already a result for this ward and period"]}) from exc


RowProblem = Problem  # a problem on one line of an imported file (line 0: the whole file)


logger = logging.getLogger(__name__)

SATISFACTION_DATABASE_FAILED = (
    "The database failed while saving this row, so nothing was imported. Try again; if it "
    "happens again, tell your administrator."
)


class ImportRefused(Exception):
    """Nothing was imported: every row problem, with its line number."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@transaction.atomic
def satisfaction_import(
    *, programme: Programme, rows: list[tuple[int, SatisfactionInput]], actor=None,
    problems: Iterable[RowProblem] = (),
) -> list[SatisfactionResult]:
    """Record many results (``rows``: line number and result) all or nothing: if any row is
    wrong, including a period repeated in the file or already recorded, nothing is saved and
    ImportRefused lists every problem by line, with ``problems`` found earlier (by the CSV
    reader) among them. Locks the programme row."""
    ward_ids, taken = _lock_and_read(programme)
    problems = list(problems)
    seen: dict[tuple[int, date], int] = {}
    for line, item in rows:
        errors = check_satisfaction(programme=programme, item=item, ward_ids=ward_ids, taken=taken)
        key = (item.clinical_area.pk, item.period_start)
        if key in seen and "period_start" not in errors:
            errors["period_start"] = [
                f"Line {seen[key]} already has {item.clinical_area.name} for the period starting "
                f"{item.period_start:%-d %B %Y}"
            ]
        seen.setdefault(key, line)
        problems += [RowProblem(line, message) for messages in errors.values() for message in messages]
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.line))
    saved, line = [], None
    try:
        with transaction.atomic():
            for line, item in rows:  # noqa: B007 (the except below names the line that failed)
                saved.append(_satisfaction_save(programme=programme, item=item, actor=actor))
    except DatabaseError as exc:
        # The database failed part-way (connection lost, disk full): every row is rolled back.
        logger.exception("Satisfaction import for programme %s failed at line %s", programme.pk, line)
        raise ImportRefused([RowProblem(line, SATISFACTION_DATABASE_FAILED)]) from exc
    return saved
