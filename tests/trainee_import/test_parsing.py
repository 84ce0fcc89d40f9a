"""Reading the bytes of an enrolment CSV: no database, every whole-file problem named."""

from __future__ import annotations

import codecs
import os

from trainees.enrolment_import.parsing import MAX_BYTES, MAX_ROWS, parse_enrolment_csv

from .helpers import csv_bytes, good_csv, good_row


def test_it_reads_rows_by_header_name_in_any_order_and_case():
    data = b"Last Name, EMPLOYEE-NUMBER ,first name,Ward\r\nShah,E1,Priya,Larch Ward\r\n"
    parsed = parse_enrolment_csv(data)
    assert parsed.ok
    [row] = parsed.rows
    assert row.line == 2
    assert (row["employee_number"], row["first_name"], row["last_name"], row["ward"]) == (
        "E1",
        "Priya",
        "Shah",
        "Larch Ward",
    )
    assert row["band"] == ""  # a column left out of the file reads as blank


def test_it_accepts_utf8_with_a_byte_order_mark_and_keeps_accents():
    data = (
        codecs.BOM_UTF8 + "employee_number,first_name,last_name\nE1,Zoë,Ó Súilleabháin\n".encode()
    )
    parsed = parse_enrolment_csv(data)
    assert parsed.ok
    assert parsed.rows[0]["first_name"] == "Zoë"


def test_line_numbers_are_the_files_own_lines():
    # A blank line and a value spanning two lines: the next row starts on line 6.
    data = (
        b"employee_number,first_name,last_name,job_title\n"
        b"E1,A,B,HCSW\n"
        b"\n"
        b'E2,C,D,"Senior\nHCSW"\n'
        b"E3,E,F\n"
    )
    parsed = parse_enrolment_csv(data)
    assert [row.line for row in parsed.rows] == [2, 4]
    assert [(e.line, e.message.split(".")[0]) for e in parsed.row_errors] == [
        (6, "This row has 3 values but the header has 4 columns")
    ]


def test_wrong_columns_name_the_missing_and_the_unknown():
    parsed = parse_enrolment_csv(b"employee_no,firstname,surname,ward\nE1,A,B,C\n")
    assert parsed.rows == []
    assert parsed.file_errors == [
        "The header (line 1) is missing the required columns “employee_number”, "
        "“first_name” and “last_name”.",
        "The header (line 1) has columns Ladder does not know: “employee_no” (did you "
        "mean employee_number?), “firstname” (did you mean first_name?), "
        "“surname”. The columns Ladder takes are listed on this page.",
    ]


def test_a_repeated_column_is_refused():
    parsed = parse_enrolment_csv(b"employee_number,first_name,last_name,Last Name\n")
    assert parsed.file_errors == ["The header (line 1) names “last_name” more than once."]


def test_semicolon_separated_files_are_named_as_such():
    parsed = parse_enrolment_csv(b"employee_number;first_name;last_name\nE1;A;B\n")
    assert parsed.file_errors[0].startswith(
        "The columns in line 1 are separated by semicolons; Ladder needs commas."
    )


def test_latin1_is_refused_with_the_line_of_the_first_bad_character():
    data = csv_bytes([good_row(1), good_row(2, first_name="Zoë")], encoding="latin-1")
    parsed = parse_enrolment_csv(data)
    assert parsed.rows == []
    [message] = parsed.file_errors
    assert message.startswith(
        "The file is not UTF-8 encoded: line 3 has a character Ladder cannot read (byte 0xEB)."
    )
    assert "CSV UTF-8" in message


def test_utf16_is_refused_with_or_without_a_byte_order_mark():
    text = "employee_number,first_name,last_name\r\nE1,Zoë,Shah\r\n"
    for data in (text.encode("utf-16"), text.encode("utf-16-le"), text.encode("utf-16-be")):
        [message] = parse_enrolment_csv(data).file_errors
        assert message.startswith("The file is encoded as UTF-16"), message


def test_binary_junk_and_workbooks_are_not_csv():
    junk = bytes(range(256)) * 8 + os.urandom(1000)
    assert (
        parse_enrolment_csv(junk)
        .file_errors[0]
        .startswith("This is not a CSV file: it contains binary data.")
    )
    xlsx = b"PK\x03\x04\x14\x00\x06\x00" + os.urandom(200)
    assert (
        parse_enrolment_csv(xlsx).file_errors[0].startswith("The file is an Excel workbook (.xlsx)")
    )
    assert (
        parse_enrolment_csv(b"%PDF-1.7\n...").file_errors[0] == "The file is a PDF, not a CSV file."
    )
    # Control characters with no zero byte (valid UTF-8, but not text).
    assert (
        "control characters"
        in parse_enrolment_csv(b"employee_number\x01\x02\x03,x\n").file_errors[0]
    )


def test_empty_files_and_files_with_only_a_header():
    assert parse_enrolment_csv(b"").file_errors[0].startswith("The file is empty.")
    assert (
        parse_enrolment_csv(codecs.BOM_UTF8 + b"\r\n \r\n")
        .file_errors[0]
        .startswith("The file is empty.")
    )
    assert parse_enrolment_csv(b"employee_number,first_name,last_name\r\n,,\r\n").file_errors == [
        "The file has a header row but no trainees in it."
    ]


def test_a_file_over_10_mb_is_refused():
    data = good_csv(1) + b"#" * MAX_BYTES
    assert (
        parse_enrolment_csv(data)
        .file_errors[0]
        .startswith("The file is 10.0 MB; the most Ladder takes is 10 MB.")
    )


def test_more_than_20000_rows_is_refused():
    data = b"employee_number,first_name,last_name\n" + b"".join(
        b"E%d,A,B\n" % n for n in range(MAX_ROWS + 1)
    )
    assert parse_enrolment_csv(data).file_errors == [
        "The file has more than 20,000 rows of trainees; the most Ladder takes in one file is "
        "20,000. Split it into smaller files."
    ]
    assert parse_enrolment_csv(data[: data.rindex(b"E20000")]).ok


def test_an_unclosed_quote_is_reported_where_its_row_starts():
    parsed = parse_enrolment_csv(b'employee_number,first_name,last_name\nE1,A,B\nE2,"C,D\nE3,E,F\n')
    assert [row.line for row in parsed.rows] == [2]
    [error] = parsed.row_errors
    assert error.line == 3
    assert 'a double quote (") is opened but never closed' in error.message


def test_a_comma_in_an_unquoted_value_is_explained():
    parsed = parse_enrolment_csv(b"employee_number,first_name,last_name\nE1,Smith, John,X\n")
    [error] = parsed.row_errors
    assert error.line == 2
    assert error.message == (
        "This row has 4 values but the header has 3 columns. A value containing a comma must "
        "be in double quotes."
    )
