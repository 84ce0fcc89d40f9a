"""A cohort's interviews for one instrument family as a REDCap-style flat CSV: one row per
interview, one column per question key.

Personal data: the file carries what people said, and answers are as sensitive as the findings
built from them. Names go only to the lead organisation's training leads (who run the
interviews and already see names in Ladder); a workforce planner gets the same file with the
name column left out and the interviewee and interviewer as pseudonymous ids. A pseudonym is
a keyed hash (HMAC with the site's secret key) of the organisation and the person, so one
person keeps one id across stages, cohorts and exports, which longitudinal analysis needs, and
the id cannot be turned back into a name without the key. (Rotating SECRET_KEY changes every
pseudonym.) Free-text answers may still name people: the page says so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from core.prepared import Param, compiled_once, list_size, list_values, param_list
from programmes.models import Cohort

from ..models import Answer, Instrument, Interview, Subject

# (column, what it holds): the fixed columns, in order, before one column per question key.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("record_id", "The interview's number in Ladder (unique)."),
    ("subject_id", "Pseudonymous id of the person interviewed: T- for a trainee, M- for a manager, "
                   "then 10 characters. The same person has the same id at every stage."),
    ("subject_name", "The person's name. Only in the training lead's export."),
    ("subject_type", "trainee or manager."),
    ("cohort", "The cohort's name."),
    ("stage", "The evaluation stage, e.g. Start, Mid-way, Qualification."),
    ("stage_order", "The stage's position in the cohort's evaluation plan."),
    ("instrument", "The instrument family (the same for every version)."),
    ("instrument_version", "The version of the question set the interview used."),
    ("interviewer", "Who held the interview: a name in the training lead's export, otherwise a "
                    "pseudonymous id (S- and 10 characters)."),
    ("held_on", "The date of the interview, YYYY-MM-DD."),
    ("consent_to_quote", "1 if the person agreed to be quoted, otherwise 0."),
    ("status", "done, draft (in progress), due or cancelled."),
)
NAME_COLUMN = "subject_name"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pseudonym(prefix: str, organisation_id: int, kind: str, pk: int | None) -> str:
    if pk is None:
        return ""
    digest = salted_hmac("ladder.findings.export", f"{organisation_id}:{kind}:{pk}").hexdigest()
    return f"{prefix}-{digest[:10]}"


def _safe(value: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: quote such text (but not a
    number such as -2)."""
    if value and value.startswith(_FORMULA_START):
        try:
            Decimal(value)
        except InvalidOperation:
            return "'" + value
    return value


@dataclass(frozen=True)
class InstrumentExport:
    filename: str
    header: list[str]
    rows: list[list[str]]
    question_keys: list[str]

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()


def question_keys(instruments: list[Instrument]) -> list[str]:
    """The union of the versions' question keys: the newest version's in its order, then keys
    only older versions asked, newest first."""
    keys: dict[str, None] = {}
    for instrument in sorted(instruments, key=lambda i: -i.version):
        for question in instrument.questions.all():
            keys.setdefault(question.key)
    return list(keys)


def instrument_export(
    *, cohort: Cohort, family: str, with_names: bool, include_all: bool = False
) -> InstrumentExport:
    """The cohort's interviews that used any version of the instrument family (of the cohort's
    programme's organisation): completed ones, or with ``include_all`` every interview. Raises
    Instrument.DoesNotExist when the organisation has no such family. Four queries, whatever
    the number of interviews and answers."""
    organisation_id = cohort.programme.organisation_id
    instruments = list(
        Instrument.objects.filter(organisation_id=organisation_id, family=family)
        .prefetch_related("questions")
    )
    if not instruments:
        raise Instrument.DoesNotExist(f"No instrument family {family!r}")
    keys = question_keys(instruments)
    interviews = Interview.objects.filter(stage__cohort=cohort, instrument__in=instruments)
    if not include_all:
        interviews = interviews.filter(status=Interview.Status.DONE)
    interviews = list(
        interviews.select_related("stage", "instrument", "enrolment__trainee", "manager", "interviewer")
        .order_by("stage__order", "stage__opens_on", "stage_id", "-subject", "held_on", "pk")
    )
    values: dict[int, dict[str, str]] = {i.pk: {} for i in interviews}
    answers = Answer.objects.filter(interview__in=[i.pk for i in interviews]).values_list(
        "interview_id", "question__key", "value", "number"
    )
    for interview_id, key, value, number in answers:
        if not value and number is not None:
            value = format(number.normalize(), "f")
        values[interview_id][key] = value or ""

    header = [name for name, _ in COLUMNS if with_names or name != NAME_COLUMN] + keys
    rows = []
    for interview in interviews:
        trainee = interview.subject == Subject.TRAINEE
        if trainee:
            person_id = pseudonym("T", organisation_id, "trainee", interview.enrolment.trainee_id)
            name = interview.enrolment.trainee.full_name
        else:
            person_id = pseudonym("M", organisation_id, "user", interview.manager_id)
            name = interview.manager.get_full_name() or interview.manager.get_username()
        if interview.interviewer is None:
            interviewer = ""
        elif with_names:
            interviewer = interview.interviewer.get_full_name() or interview.interviewer.get_username()
        else:
            interviewer = pseudonym("S", organisation_id, "user", interview.interviewer_id)
        row = [str(interview.pk), person_id]
        if with_names:
            row.append(_safe(name))
        row += [
            interview.subject, _safe(cohort.name), _safe(interview.stage.name), str(interview.stage.order),
            interview.instrument.family, str(interview.instrument.version), _safe(interviewer),
            interview.held_on.isoformat() if interview.held_on else "",
            "1" if interview.consent_to_quote else "0", interview.status,
        ]
        answered = values[interview.pk]
        row += [_safe(answered.get(key, "")) for key in keys]
        rows.append(row)
    filename = f"{slugify(cohort.programme.title)[:40]}-{slugify(cohort.name)[:30]}-{family}.csv"
    return InstrumentExport(filename=filename, header=header, rows=rows, question_keys=keys)


def families_of(*, cohort: Cohort, stage_ids: list[int]) -> list[tuple[str, str]]:
    """(family, name of its newest version) of the instruments the cohort's stages use;
    ``stage_ids`` are the ids of the cohort's stages (the findings have them): the interviews
    are found by the stage index, not by joining every interview to the stages. One query."""
    if not stage_ids:  # no interview to have used one
        return []
    size = list_size(stage_ids)
    newest: dict[str, str] = {}
    for row in _families_used(size).rows(
        organisation_id=cohort.programme.organisation_id, **list_values("stage", stage_ids, size)
    ):
        newest.setdefault(row["family"], row["name"])
    return list(newest.items())


@compiled_once
def _families_used(stages: int):
    """families_of's statement for a number of stage ids (Params stage0..., organisation_id),
    compiled once (core.prepared): the findings page asks on every visit."""
    used = (
        Instrument.objects.filter(interviews__stage__id__in=param_list("stage", stages))
        .values_list("family", flat=True).distinct()
    )
    return (
        Instrument.objects.filter(organisation_id=Param("organisation_id"), family__in=used)
        .order_by("family", "-version").values("family", "name")
    )
