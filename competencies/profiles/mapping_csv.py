"""Bytes of an uploaded mapping (crosswalk) CSV in, rows or the reasons it cannot be read out.

Pure: no database. The database checks (do the frameworks and competencies exist, is the pair
already mapped) are in :func:`competencies.profiles.services.mappings_import_csv`, which calls
:func:`parse_mapping_csv` first. Checks, in order, stopping at the first whole-file problem:

1. size (at most :data:`MAX_BYTES`) and emptiness;
2. that it is text: an Excel workbook, a PDF, UTF-16 or other binary is named as such;
3. the encoding: UTF-8, with or without a byte-order mark, decoded strictly (never guessed:
   Latin-1 decodes anything, silently turning names into mojibake);
4. the header (line 1): every required column, no unknown or repeated ones;
5. each row has as many values as the header, and there are at most :data:`MAX_ROWS` rows.

Line numbers are the file's physical lines (the header is line 1), as a text editor shows them.
Blank rows are skipped (spreadsheets leave them at the end).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from core.csv_import import Column, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
SAVE_AS_HINT = "In Excel, use File > Save a copy > \u201cCSV UTF-8 (comma delimited) (*.csv)\u201d."


COLUMNS: tuple[Column, ...] = (
    Column(
        "source_framework",
        "Required",
        "The ID number of the framework the first competency is in: a national framework or one "
        "of your organisation's own.",
        "ACME-IAP",
        in_header=True,
    ),
    Column(
        "source_id_number",
        "Required",
        "The ID number of the competency in that framework.",
        "IAP-07",
        in_header=True,
    ),
    Column(
        "target_framework",
        "Required",
        "The ID number of the framework of the competency it maps to. It must be a different "
        "framework.",
        "CARE-CERT-2015",
        in_header=True,
    ),
    Column("target_id_number", "Required", "The ID number of that competency.", "CC5", in_header=True),
    Column(
        "strength",
        "Required column, value optional",
        "\u201cequivalent\u201d (covers the same ground) or \u201cpartial\u201d (partly covers "
        "it). Blank means equivalent.",
        "partial",
        in_header=True,
    ),
    Column(
        "note",
        "Optional",
        "Why they correspond, up to 300 characters. The column may be left out.",
        "Person-centred rehabilitation",
        in_header=False,
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.in_header)
HEADER_EXAMPLE = ",".join(COLUMN_NAMES)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]  # every column of COLUMNS, stripped; "" when absent

    def __getitem__(self, name: str) -> str:
        return self.values[name]


@dataclass
class ParsedFile:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _binary_kind(data: bytes) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        return "an Excel workbook (or another zip file)"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel (.xls) workbook"
    if data.startswith(b"%PDF"):
        return "a PDF"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text"
    if b"\x00" in data[:4096]:
        return "a binary file"
    return None


def parse_mapping_csv(data: bytes) -> ParsedFile:
    parsed = ParsedFile()

    def refuse(message: str, line: int | None = None) -> ParsedFile:
        parsed.problems.append(Problem(line, message))
        parsed.rows = []
        return parsed

    if not data or not data.strip():
        return refuse("The file is empty.")
    if len(data) > MAX_BYTES:
        return refuse(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files."
        )
    kind = _binary_kind(data)
    if kind:
        return refuse(f"The file is {kind}, not a CSV file. {SAVE_AS_HINT}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return refuse(
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read). "
            + SAVE_AS_HINT,
            line,
        )

    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    next_line = 1  # the physical line the next row starts on
    try:
        for values in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = [value.strip().lower() for value in values]
                problem = _check_header(header)
                if problem:
                    return refuse(problem, line)
                continue
            if len(values) != len(header):
                parsed.problems.append(
                    Problem(
                        line,
                        f"expected {len(header)} values (one per column), found {len(values)}.",
                    )
                )
                continue
            if len(parsed.rows) + len(parsed.problems) >= MAX_ROWS:
                return refuse(
                    f"The file has more than {MAX_ROWS:,} mappings. Split it into smaller files."
                )
            row = {name: "" for name in COLUMN_NAMES}
            row.update({name: value.strip() for name, value in zip(header, values, strict=True)})
            parsed.rows.append(Row(line, row))
    except csv.Error as error:
        return refuse(f"the file cannot be read as CSV ({error}).", next_line)
    if header is None:
        return refuse("The file is empty.")
    if not parsed.rows and not parsed.problems:
        return refuse("The file has a header but no mappings below it.")
    return parsed


def _check_header(header: list[str]) -> str | None:
    expected = f"The first line must name the columns, for example: {HEADER_EXAMPLE}"
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        return f"the column {', '.join(repeated)} is named more than once. {expected}"
    unknown = [name or "(blank)" for name in header if name not in COLUMN_NAMES]
    if unknown:
        return f"unknown column {', '.join(unknown)}. {expected}"
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return f"the header has no {', '.join(missing)} column. {expected}"
    return None
