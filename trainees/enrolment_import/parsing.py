"""Bytes of an uploaded enrolment CSV in, rows (or the reasons it cannot be read) out.

Pure: no database, no Django models. :func:`parse_enrolment_csv` checks, in this order, and
stops at the first whole-file problem (later checks would only add noise):

1. size (at most :data:`MAX_BYTES`) and emptiness;
2. that it is text at all: an Excel workbook, a PDF, UTF-16 or other binary is named as such;
3. the encoding: UTF-8, with or without a byte-order mark, decoded strictly. Anything else is
   refused with the line of the first byte that is not UTF-8. We never guess (Latin-1 decodes
   *anything*, so guessing would turn "Zoë" into mojibake without a word);
4. the header (line 1): every required column present, no unknown or repeated ones;
5. the rows: each has as many values as the header has columns, and there are at most
   :data:`MAX_ROWS` of them.

Line numbers are physical lines of the file (the header is line 1), so they match what people
see in a text editor; a quoted value spanning lines is reported at the line where its row
starts. Blank rows are skipped (spreadsheets leave them at the end).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
from dataclasses import dataclass, field

from core.csv_import import Column, Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
SAVE_AS_HINT = "In Excel, use File > Save a copy > “CSV UTF-8 (comma delimited) (*.csv)”."


COLUMNS: tuple[Column, ...] = (
    Column(
        "employee_number",
        "Required",
        "The person's employee (payroll) number. If a trainee of your organisation already has "
        "it, that trainee is enrolled and their record is left as it is; otherwise a new trainee "
        "is created.",
        "E20417",
        max_length=30,
        in_header=True,
    ),
    Column("first_name", "Required for new trainees", "First name.", "Priya", 100, True),
    Column("last_name", "Required for new trainees", "Last name.", "Shah", 100, True),
    Column("email", "Optional", "Work email address.", "priya.shah@nhs.net", 254),
    Column(
        "band",
        "Optional",
        "Agenda for Change band: a number from 1 to 7 (“Band 3” also works), or "
        "“other” if they are not on Agenda for Change.",
        "3",
    ),
    Column("job_title", "Optional", "Their current job title.", "Healthcare support worker", 150),
    Column(
        "ward",
        "Optional",
        "The name of one of your organisation's wards or clinical areas, as Ladder lists it "
        "(capitals and spaces do not matter). A name Ladder does not know is an error, unless you "
        "tick “Create wards that do not exist yet”.",
        "Larch Ward",
        120,
    ),
    Column(
        "line_manager",
        "Optional",
        "The username or email of a line manager or training lead in your organisation.",
        "j.okafor",
    ),
    Column(
        "mentor",
        "Optional",
        "The username or email of a mentor or assessor in your organisation.",
        "grace.mensah@nhs.net",
    ),
    Column(
        "enrolled_on",
        "Optional",
        "The date they join the cohort: YYYY-MM-DD or DD/MM/YYYY, within the cohort's dates. "
        "Blank means the cohort's start date (or today, if the cohort has already started).",
        "2026-01-05",
    ),
    Column(
        "status",
        "Optional",
        "“active” (on the programme) or “applied” (not started yet). Blank means active.",
        "active",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.in_header)


RowError = Problem  # a problem with one row (line None: the whole file)


@dataclass(frozen=True)
class ParsedRow:
    line: int
    values: dict[str, str]  # every column of COLUMNS; "" when absent or blank

    def __getitem__(self, name: str) -> str:
        return self.values[name]


@dataclass
class ParsedFile:
    rows: list[ParsedRow] = field(default_factory=list)
    # A problem with the file as a whole (size, encoding, header): nothing else is checked.
    file_errors: list[str] = field(default_factory=list)
    # Problems with single rows (their shape; the values are checked by validation).
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors


def normalise_header(name: str) -> str:
    """ "Employee number", " employee-number " and "EMPLOYEE_NUMBER" all name one column."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def parse_enrolment_csv(data: bytes) -> ParsedFile:
    """The rows of an enrolment CSV, or why it cannot be read. See the module docstring."""
    problem = _file_problem(data)
    if problem:
        return ParsedFile(file_errors=[problem])
    text, problem = _decode(data)
    if problem:
        return ParsedFile(file_errors=[problem])
    return _read_rows(text)


# --- Bytes and encoding -----------------------------------------------------------------------

_SIGNATURES = (
    (
        b"PK\x03\x04",
        "an Excel workbook (.xlsx) or another zipped file, not a CSV file. " + SAVE_AS_HINT,
    ),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel workbook (.xls), not a CSV file. " + SAVE_AS_HINT),
    (b"%PDF", "a PDF, not a CSV file."),
    (b"\x89PNG", "an image, not a CSV file."),
    (b"\xff\xd8\xff", "an image, not a CSV file."),
    (codecs.BOM_UTF32_LE, "encoded as UTF-32; Ladder needs UTF-8. " + SAVE_AS_HINT),
    (
        codecs.BOM_UTF16_LE,
        "encoded as UTF-16 (Excel calls it “Unicode text”); Ladder needs UTF-8. " + SAVE_AS_HINT,
    ),
    (
        codecs.BOM_UTF16_BE,
        "encoded as UTF-16 (Excel calls it “Unicode text”); Ladder needs UTF-8. " + SAVE_AS_HINT,
    ),
)


def _file_problem(data: bytes) -> str | None:
    if len(data) > MAX_BYTES:
        return too_big_message(len(data))
    if not data.strip(codecs.BOM_UTF8 + b" \t\r\n"):
        return "The file is empty. Upload a CSV file with a header row and one row per trainee."
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return f"The file is {what}"
    head = data[:4096]
    if b"\x00" in head:
        # Text saved as UTF-16 without a byte-order mark has a zero byte beside every ASCII letter.
        if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
            return (
                "The file is encoded as UTF-16 (Excel calls it “Unicode text”); "
                "Ladder needs UTF-8. " + SAVE_AS_HINT
            )
        return "This is not a CSV file: it contains binary data. " + SAVE_AS_HINT
    return None


def too_big_message(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; the most Ladder takes is "
        f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
    )


def _line_of(data: bytes | str, offset: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        text = data.decode("utf-8-sig")  # strict: a byte that is not UTF-8 is an error
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        return "", (
            f"The file is not UTF-8 encoded: line {_line_of(data, exc.start)} has a character "
            f"Ladder cannot read (byte 0x{byte:02X}). Ladder does not guess encodings, because "
            "a wrong guess would garble names. " + SAVE_AS_HINT
        )
    control = re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text)
    if control:
        return "", (
            f"This is not a CSV file: line {_line_of(text, control.start())} contains control "
            "characters that text files do not have. " + SAVE_AS_HINT
        )
    return text, None


# --- Header and rows --------------------------------------------------------------------------


def _header_problems(header: list[str]) -> list[str]:
    names = [normalise_header(name) for name in header]
    while names and not names[-1]:  # trailing empty columns, as spreadsheets sometimes add
        names.pop()
    problems = []
    if len(names) == 1 and re.search(r"[;\t|]", header[0]):
        separator = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}[
            re.search(r"[;\t|]", header[0]).group()
        ]
        return [
            f"The columns in line 1 are separated by {separator}; Ladder needs commas. "
            + SAVE_AS_HINT
        ]
    blank = [str(i) for i, name in enumerate(names, start=1) if not name]
    if blank:
        problems.append(f"The header (line 1) has no name for column {', '.join(blank)}.")
    seen: set[str] = set()
    repeated = sorted({name for name in names if name and (name in seen or seen.add(name))})
    if repeated:
        problems.append(f"The header (line 1) names {_quoted(repeated)} more than once.")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        problems.append(
            f"The header (line 1) is missing the required column{_s(missing)} {_quoted(missing)}."
        )
    unknown = [name for name in dict.fromkeys(names) if name and name not in COLUMN_NAMES]
    if unknown:
        described = []
        for name in unknown:
            close = difflib.get_close_matches(name, COLUMN_NAMES, n=1, cutoff=0.75)
            described.append(f"“{name}”" + (f" (did you mean {close[0]}?)" if close else ""))
        problems.append(
            f"The header (line 1) has {'a column' if len(unknown) == 1 else 'columns'} Ladder "
            f"does not know: {', '.join(described)}. The columns Ladder takes are listed on "
            "this page."
        )
    return problems


def _read_rows(text: str) -> ParsedFile:
    parsed = ParsedFile()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        parsed.file_errors.append(f"Line 1 cannot be read as CSV: {_csv_reason(exc)}.")
        return parsed
    if not any(cell.strip() for cell in header):
        parsed.file_errors.append(
            "Line 1 is blank. The first line must be the header row, naming the columns."
        )
        return parsed
    problems = _header_problems(header)
    if problems:
        parsed.file_errors.extend(problems)
        return parsed

    positions = {normalise_header(name): i for i, name in enumerate(header) if name.strip()}
    width = len(positions)
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.row_errors.append(
                RowError(
                    start,
                    (
                        f"This line cannot be read as CSV: {_csv_reason(exc)}. "
                        "Nothing after it was read."
                    ),
                )
            )
            break
        last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(parsed.rows) + len(parsed.row_errors) >= MAX_ROWS:
            return ParsedFile(
                file_errors=[
                    f"The file has more than {MAX_ROWS:,} rows of trainees; the most Ladder takes "
                    f"in one file is {MAX_ROWS:,}. Split it into smaller files."
                ]
            )
        extra = [cell for cell in cells[width:] if cell.strip()]
        if extra or len(cells) < width:
            advice = (
                "A value containing a comma must be in double quotes."
                if extra
                else "Every row needs a value (or nothing between two commas) for each column."
            )
            parsed.row_errors.append(
                RowError(
                    start,
                    (
                        f"This row has {len(cells)} value{_s(cells)} but the header has {width} "
                        f"column{_s(range(width))}. {advice}"
                    ),
                )
            )
            continue
        values = {name: "" for name in COLUMN_NAMES}
        for name, i in positions.items():
            values[name] = cells[i].strip()
        parsed.rows.append(ParsedRow(line=start, values=values))
    if not parsed.rows and not parsed.row_errors:
        parsed.file_errors.append("The file has a header row but no trainees in it.")
    return parsed


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "field larger than field limit" in message:
        return "a value is far too long (is a double quote left open?)"
    if "unexpected end of data" in message or "EOF" in message:
        return 'a double quote (") is opened but never closed'
    if "expected" in message and "after" in message:
        return 'a double quote (") in the middle of a value; write it as two double quotes ("")'
    return message


def _quoted(names) -> str:
    names = list(names)
    quoted = [f"“{name}”" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _s(items) -> str:
    return "" if len(list(items)) == 1 else "s"
