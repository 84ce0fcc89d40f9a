"""Building enrolment CSV files for the tests."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

HEADER = (
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "band",
    "job_title",
    "ward",
    "line_manager",
    "mentor",
    "enrolled_on",
    "status",
)


def good_row(n: int, **overrides) -> dict:
    """A new trainee of Acme who passes every check (Larch Ward, Acme's manager and mentor)."""
    row = {
        "employee_number": f"N{n:05d}",
        "first_name": "Trainee",
        "last_name": f"Number {n}",
        "email": f"trainee{n}@example.nhs.uk",
        "band": "3",
        "job_title": "HCSW",
        "ward": "Larch Ward",
        "line_manager": "manager.acme",
        "mentor": "mentor.acme",
        "enrolled_on": "2026-01-05",
        "status": "active",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, header=HEADER, *, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    return out.getvalue().encode(encoding)


def good_csv(count: int, start: int = 1) -> bytes:
    return csv_bytes(good_row(n) for n in range(start, start + count))


def as_upload(data: bytes, name: str = "trainees.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def post_upload(
    client, cohort, data: bytes, *, create_wards: bool = False, name: str = "trainees.csv"
):
    payload = {"file": as_upload(data, name)}
    if create_wards:
        payload["create_wards"] = "on"
    return client.post(f"/cohorts/{cohort.pk}/import/", payload)
