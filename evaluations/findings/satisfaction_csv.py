"""Reading a CSV of service-user satisfaction results (one row per ward per period).

Pure apart from the wards it is given: bytes in, typed rows and the problems with them out,
each problem with the line of the file it is on (the header is line 1; a quoted value spanning
lines is reported where its row starts). Checks, in order: size and emptiness; that it is a
text file (not a workbook, PDF or UTF-16); strict UTF-8 (we never guess an encoding: a wrong
guess garbles text silently); the header; then each row. Whether a period is already recorded
(or repeated in the file) is checked by services.satisfaction_import, under a lock.

A results file is small (a row per ward per month), so it is read in the request; MAX_BYTES and
MAX_ROWS keep it so.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.csv_import import Column
from programmes.models import ClinicalArea

from .services import RowProblem, SatisfactionInput

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
SAVE_AS_HINT = "In Excel, use File > Save a copy > “CSV UTF-8 (comma delimited) (*.csv)”."


COLUMNS: tuple[Column, ...] = (
    Column("ward", "Required", "The ward or clinical area, named as the programme lists it "
           "(capitals and extra spaces do not matter).", "Larch Ward", in_header=True),
    Column("period_start", "Required", "The first day the survey covers: YYYY-MM-DD or "
           "DD/MM/YYYY.", "2026-03-01", in_header=True),
    Column("period_end", "Required", "The last day it covers, on or after the start.",
           "2026-03-31", in_header=True),
    Column("responses", "Required", "How many service users responded: a whole number, 1 or "
           "more.", "24", in_header=True),
    Column("score", "Required", "The percentage of respondents satisfied, from 0 to 100 (one "
           "decimal place at most is kept; a % sign is allowed).", "87.5", in_header=True),
    Column("source", "Optional", "Where the result comes from.", "Productive Ward local survey"),
    Column("questions", "Optional", "The questions asked, separated by a vertical bar (|).",
           "Did staff help you with your physical health?|Would you recommend the ward?"),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.in_header)


def example_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow([c.example for c in COLUMNS])
    writer.writerow(["Larch Ward", "2026-04-01", "2026-04-30", "19", "91", "Productive Ward local survey", ""])
    return out.getvalue()


@dataclass
class ParsedResults:
    rows: list[tuple[int, SatisfactionInput]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)  # line 0: the file as a whole

    @property
    def file_problem(self) -> bool:
        return any(p.line == 0 for p in self.problems)


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _ward_key(name: str) -> str:
    return " ".join(name.split()).lower()


_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zipped file, not a CSV file. " + SAVE_AS_HINT),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel workbook (.xls), not a CSV file. " + SAVE_AS_HINT),
    (b"%PDF", "a PDF, not a CSV file."),
    (codecs.BOM_UTF16_LE, "encoded as UTF-16; Ladder needs UTF-8. " + SAVE_AS_HINT),
    (codecs.BOM_UTF16_BE, "encoded as UTF-16; Ladder needs UTF-8. " + SAVE_AS_HINT),
)


def _whole_file(message: str) -> ParsedResults:
    return ParsedResults(problems=[RowProblem(0, message)])


def parse_results(data: bytes, *, wards: list[ClinicalArea]) -> ParsedResults:
    """The rows of a results CSV, typed, and every problem found, by line. ``wards``: the
    programme's wards, which the ward column must name."""
    if len(data) > MAX_BYTES:
        return _whole_file(f"The file is {len(data) / 1024 / 1024:.1f} MB; the most Ladder takes is "
                           f"{MAX_BYTES // 1024 // 1024} MB.")
    if not data.strip(codecs.BOM_UTF8 + b" \t\r\n"):
        return _whole_file("The file is empty. Upload a CSV file with a header row and one row per result.")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return _whole_file(f"The file is {what}")
    if b"\x00" in data[:4096]:
        return _whole_file("This is not a CSV file: it contains binary data. " + SAVE_AS_HINT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _whole_file(
            f"The file is not UTF-8 encoded: line {line} has a character Ladder cannot read "
            f"(byte 0x{data[exc.start]:02X}). " + SAVE_AS_HINT
        )

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        return _whole_file(f"Line 1 cannot be read as CSV: {exc}")
    names = [_normalise(h) for h in header]
    if len(names) == 1 and ";" in header[0]:
        return _whole_file("The columns are separated by semicolons; Ladder needs commas. " + SAVE_AS_HINT)
    unknown = [h for h, n in zip(header, names, strict=True) if n not in COLUMN_NAMES]
    repeated = sorted({n for n in names if names.count(n) > 1})
    missing = [n for n in REQUIRED if n not in names]
    problems = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown {', '.join(f'“{u}”' for u in unknown)}")
    if repeated:
        problems.append(f"repeated {', '.join(repeated)}")
    if problems:
        return _whole_file(
            "The header (line 1) has the wrong columns: " + "; ".join(problems) + ". The columns are "
            + ", ".join(COLUMN_NAMES) + f" (the last {len(COLUMN_NAMES) - len(REQUIRED)} are optional)."
        )

    by_name = {_ward_key(w.name): w for w in wards}
    result = ParsedResults()
    line, count = reader.line_num + 1, 0
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(value.strip() for value in record):
                continue
            count += 1
            if count > MAX_ROWS:
                return _whole_file(f"The file has more than {MAX_ROWS} rows. Split it into smaller files.")
            if len(record) != len(names):
                result.problems.append(RowProblem(
                    start, f"The row has {len(record)} values but the header has {len(names)} columns"))
                continue
            _read_row(start, dict(zip(names, record, strict=True)), by_name, wards, result)
    except csv.Error as exc:
        result.problems.append(RowProblem(line, f"The row cannot be read as CSV ({exc})"))
    if not result.rows and not result.problems:
        return _whole_file("The file has a header but no results.")
    return result


def _date(value: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _read_row(line: int, values: dict[str, str], by_name, wards, result: ParsedResults) -> None:
    problems: list[str] = []
    ward_name = values["ward"].strip()
    ward = by_name.get(_ward_key(ward_name))
    if not ward_name:
        problems.append("The ward is blank")
    elif ward is None:
        known = ", ".join(w.name for w in wards) or "none yet"
        problems.append(f"The ward “{ward_name}” is not one of the programme's wards ({known})")
    dates = {}
    for name in ("period_start", "period_end"):
        raw = values[name].strip()
        dates[name] = _date(raw) if raw else None
        if not raw:
            problems.append(f"The {name} is blank")
        elif dates[name] is None:
            problems.append(f"The {name} “{raw}” is not a real date: use YYYY-MM-DD or DD/MM/YYYY")
    if dates["period_start"] and dates["period_end"] and dates["period_end"] < dates["period_start"]:
        problems.append("The period_end is before the period_start")
    raw = values["responses"].strip()
    responses = int(raw) if raw.isdigit() else None
    if responses is None or responses < 1:
        problems.append(
            f"The responses “{raw}” must be a whole number, 1 or more" if raw else "The responses are blank"
        )
    raw = values["score"].strip()
    score = None
    try:
        score = Decimal(raw.removesuffix("%").strip()) if raw else None
    except InvalidOperation:
        score = None
    if score is not None and not score.is_finite():
        score = None
    if not raw:
        problems.append("The score is blank")
    elif score is None:
        problems.append(f"The score “{raw}” is not a number")
    elif not (0 <= score <= 100):
        problems.append(f"The score {raw} is out of range: it is a percentage from 0 to 100")
    source = values.get("source", "").strip()
    if len(source) > 200:
        problems.append("The source is longer than 200 characters")
    questions = tuple(
        q.strip() for q in re.split(r"[|\n]", values.get("questions", "")) if q.strip()
    )
    if problems:
        result.problems += [RowProblem(line, p) for p in problems]
        return
    result.rows.append((line, SatisfactionInput(
        clinical_area=ward, period_start=dates["period_start"], period_end=dates["period_end"],
        responses=responses, score=score, questions=questions, source=source,
    )))
