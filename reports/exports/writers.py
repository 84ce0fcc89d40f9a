"""Tables to CSV and XLSX files, safe to open in a spreadsheet.

CSV injection: a text cell starting with = + - @ (or a tab or carriage return) would be read as
a formula by Excel, LibreOffice or Google Sheets, so such text is prefixed with an apostrophe
(OWASP's advice). Numbers and dates are written as numbers and dates; a negative number is not
text and is left alone."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .datasets import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would take for a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(neutralise(value))


def _csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    # A byte-order mark, so Excel reads the UTF-8 (names with accents) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(tables: list[Table]) -> tuple[bytes, str]:
    """One table: a .csv; several: a .zip with one .csv per table."""
    if len(tables) == 1:
        return _csv_bytes(tables[0]), "csv"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            archive.writestr(f"{table.name}.csv", _csv_bytes(table))
    return buffer.getvalue(), "zip"


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append([neutralise(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                elif isinstance(cell.value, (date, datetime)):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(45, max(10, len(header) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
