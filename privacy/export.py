"""The subject access export as files: record.json (complete, machine-readable), record.pdf (the
same, readable) and the evidence files themselves, in one ZIP.

One ZIP rather than three downloads: a training lead answering a subject access request sends
one file, and the evidence files keep their original names beside the record that lists them.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from reports.pdf import render_pdf

from .selectors import SubjectRecord

# The sections of record.json in the order the PDF shows them, with their headings.
SECTIONS = (
    ("login", "Ladder login"),
    ("memberships", "Roles in organisations"),
    ("enrolments", "Enrolments"),
    ("enrolment_status_history", "Enrolment status history"),
    ("learning_contracts", "Learning contracts"),
    ("contract_signatures", "Learning contract signatures"),
    ("study_sessions", "Protected study time"),
    ("progress_reviews", "Progress reviews"),
    ("evidence", "Evidence"),
    ("evidence_claims", "Competencies claimed by evidence"),
    ("evidence_files", "Evidence files (in the evidence folder of this archive)"),
    ("evidence_comments", "Comments on evidence"),
    ("self_assessments", "Self-assessments"),
    ("competence_decisions", "Competence decisions"),
    ("interviews", "Evaluation interviews"),
    ("interview_answers", "Interview answers"),
    ("themes_coded", "Themes coded on their answers"),
    ("report_jobs", "Reports produced about them"),
    ("privacy_events", "Earlier subject access exports and erasures"),
    ("drafts", "Drafts saved but not submitted (theirs, and others' about them)"),
    ("login_attempts", "Failed login attempts being counted"),
    ("login_failures", "Failed logins"),
    ("logins", "Logins"),
    ("audit_trail", "Audit trail of their records"),
    ("changes_they_made", "Changes they made in Ladder"),
    ("people_named", "Other people named in the record"),
)

CHUNK = 1024 * 1024
SPOOL_LIMIT = 20 * 1024 * 1024  # in memory up to this size, then a temporary file


def record_json(record: SubjectRecord, *, exported_at: datetime) -> bytes:
    document = {"exported_at": exported_at, **record.data}
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode("utf-8")


def _readable(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    if isinstance(value, (dict, list)):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def _pairs(item: dict) -> list[tuple[str, str]]:
    """What a reader needs from a row: its values, without empty ones and the database ids
    that link rows (those are in record.json)."""
    return [
        (key.replace("_", " "), _readable(value)) for key, value in item.items()
        if key != "id" and not key.endswith("_id") and value not in (None, "", [], {})
    ]


def record_pdf(record: SubjectRecord, *, exported_at: datetime) -> tuple[bytes, int]:
    data = record.data
    sections = []
    for key, title in SECTIONS:
        value = data[key]
        items = [] if value is None else (value if isinstance(value, list) else [value])
        sections.append({"title": title, "items": [(item.get("id"), _pairs(item)) for item in items]})
    html = render_to_string("privacy/record_pdf.html", {
        "trainee": record.trainee, "facts": _pairs(data["trainee"]), "sections": sections,
        "exported_at": exported_at,
    })
    return render_pdf(html)


def build_archive(record: SubjectRecord, *, exported_at: datetime):
    """The ZIP, as an open file positioned at its start (the caller streams and closes it).
    Evidence files missing from storage are listed in MISSING.txt rather than failing the
    export: the person still gets everything else."""
    archive_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)
    pdf, _pages = record_pdf(record, exported_at=exported_at)
    missing = []
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", record_json(record, exported_at=exported_at))
        archive.writestr("record.pdf", pdf)
        # record.files and the evidence_files section are the same rows in the same order.
        for evidence_file, item in zip(record.files, record.data["evidence_files"], strict=True):
            try:
                with evidence_file.file.open("rb") as source, archive.open(item["archive_path"], "w") as target:
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
            except (FileNotFoundError, ValueError):
                missing.append(item["archive_path"])
        if missing:
            archive.writestr("MISSING.txt", "These evidence files are listed in record.json but were not "
                             "found in storage:\n" + "\n".join(missing) + "\n")
    archive_file.seek(0)
    return archive_file
