"""A training lead downloads everything Ladder holds on one trainee: one ZIP with record.json
(complete, machine-readable), record.pdf (readable) and the evidence files; the export is
recorded; nobody else may make one."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from competencies.models import EvidenceFile
from core.drafts import draft_save, evidence_draft_key
from privacy.export import SECTIONS
from privacy.models import PrivacyEvent
from programmes.models import Role

from .helpers import OWN_DRAFT, QUOTE, REVIEW_DRAFT, REVIEW_NOTE, rich_record

# Committed for real: the export is queued when the request's transaction commits
# (core.jobs.enqueue_on_commit), which a test wrapped in one never does.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def _export(client, trainee):
    """Ask for the export (the task runs in-process: see eager_tasks) and download it from
    the link on the personal-data page."""
    response = client.post(reverse("privacy:export", kwargs={"pk": trainee.pk}), follow=True)
    assert response.status_code == 200
    event = PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.EXPORT).order_by("-pk").first()
    assert event.status == PrivacyEvent.Status.DONE, event.failure_reason
    link = reverse("privacy:export_download", kwargs={"pk": trainee.pk, "event_pk": event.pk})
    assert link.encode() in response.content
    download = client.get(link)
    assert download.status_code == 200
    return download, zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


def test_a_lead_downloads_one_zip_with_the_record_as_json_and_pdf_and_the_evidence_files(world, client_as):
    rich_record(world)
    response, archive = _export(client_as(Role.TRAINING_LEAD), world.trainee)

    assert response["Content-Type"] == "application/zip"
    assert f"subject-access-trainee-{world.trainee.pk}-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    names = archive.namelist()
    assert {"record.json", "record.pdf"} <= set(names)
    stored = EvidenceFile.objects.get(evidence__trainee=world.trainee)
    path = f"evidence/{stored.evidence_id}/{stored.pk}-observation-0.pdf"
    assert path in names
    with stored.file.open("rb") as original:
        assert archive.read(path) == original.read()


def test_the_json_holds_every_part_of_the_record_with_iso_dates(world, client_as):
    rich_record(world)
    _, archive = _export(client_as(Role.TRAINING_LEAD), world.trainee)
    record = json.loads(archive.read("record.json"))

    assert record["format"] == "ladder-subject-access" and record["format_version"] == 1
    assert record["trainee"]["first_name"] == "Sam" and record["trainee"]["employee_number"] == "E1001"
    assert record["login"]["username"] == "trainee.acme"
    assert "password" not in record["login"]
    assert [m["role"] for m in record["memberships"]] == ["trainee"]
    assert record["enrolments"][0]["cohort"] == "Cohort 1"
    assert ISO_DATE.match(record["enrolments"][0]["enrolled_on"])
    assert ISO_DATETIME.match(record["exported_at"])
    assert record["enrolment_status_history"][0]["to_status"] == "active"
    assert len(record["learning_contracts"]) == 1 and len(record["contract_signatures"]) == 1
    assert len(record["study_sessions"]) == 2
    assert {r["notes"] for r in record["progress_reviews"]} == {REVIEW_NOTE}
    assert record["evidence"][0]["status"] == "signed_off"
    assert record["evidence_claims"][0]["level_awarded"] == 1
    assert record["evidence_comments"][0]["text"].startswith("Well done, Sam")
    assert record["interviews"][0]["stage"] == "Stage 0"
    assert QUOTE in {a["value"] for a in record["interview_answers"]}
    assert {c["theme"] for c in record["themes_coded"]} == {"Support from managers", "Career progression"}
    assert record["report_jobs"][0]["kind"] == "trainee_portfolio"
    # Drafts: Sam's own, and the manager's draft review of Sam, as typed; not another's drafts.
    drafts = {d["title"]: d for d in record["drafts"]}
    assert set(drafts) == {"Night shift", "Review of Sam"}
    assert drafts["Night shift"]["data"]["description"] == [OWN_DRAFT] and drafts["Night shift"]["typed_by_them"]
    assert drafts["Review of Sam"]["data"]["notes"] == [REVIEW_DRAFT]
    assert not drafts["Review of Sam"]["typed_by_them"]
    assert ISO_DATETIME.match(drafts["Night shift"]["updated_at"])
    assert any(p["username"] == "manager.acme" for p in record["people_named"])
    # The audit trail of their records: the trainee row, enrolment, evidence, answers...
    audited = {entry["record_type"] for entry in record["audit_trail"]}
    assert {"trainees.trainee", "trainees.enrolment", "competencies.evidence", "evaluations.answer"} <= audited
    # Other people are named, without their contact details.
    manager = next(p for p in record["people_named"] if p["username"] == "manager.acme")
    assert "email" not in manager
    # Stable keys: every row of a section has the same keys.
    for section, rows in record.items():
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            assert len({tuple(r) for r in rows}) == 1, section


def test_the_pdf_reads_as_the_record(world, client_as, tmp_path):
    rich_record(world)
    other = world.other_trainee  # someone else's draft about someone else is not Sam's
    draft_save(user=world.person(Role.MENTOR), key=evidence_draft_key(other.pk), title="Not Sam's", url="/",
               data=QueryDict("description=Somebody+else"))
    _, archive = _export(client_as(Role.TRAINING_LEAD), world.trainee)
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(archive.read("record.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Everything Ladder holds on Sam Trainee" in text
    record = json.loads(archive.read("record.json"))
    # Every part of record.json has its section in the PDF.
    assert {key for key, _ in SECTIONS} == {key for key, value in record.items() if isinstance(value, (list, dict))} - {
        "trainee"}
    for _, heading in SECTIONS:
        assert " ".join(heading.split()) in text, heading
    assert REVIEW_NOTE in text
    assert OWN_DRAFT in text and REVIEW_DRAFT in text
    assert "Somebody else" not in text and "Not Sam's" not in text


def test_each_export_is_recorded_with_who_and_when(world, client_as):
    lead = world.person(Role.TRAINING_LEAD)
    _export(client_as(Role.TRAINING_LEAD), world.trainee)
    event = PrivacyEvent.objects.get()
    assert (event.kind, event.trainee, event.actor, event.organisation) == (
        PrivacyEvent.Kind.EXPORT, world.trainee, lead, world.organisation)
    assert timezone.now() - event.at < timedelta(minutes=1)
    # ...shown on the personal-data page, and in the next export.
    page = client_as(Role.TRAINING_LEAD).get(reverse("privacy:personal_data", kwargs={"pk": world.trainee.pk}))
    assert b"Subject access export" in page.content and lead.get_full_name().encode() in page.content
    _, archive = _export(client_as(Role.TRAINING_LEAD), world.trainee)
    assert json.loads(archive.read("record.json"))["privacy_events"][0]["kind"] == "export"


def test_missing_evidence_files_are_listed_not_fatal(world, client_as):
    rich_record(world)
    stored = EvidenceFile.objects.get(evidence__trainee=world.trainee)
    stored.file.storage.delete(stored.file.name)
    _, archive = _export(client_as(Role.TRAINING_LEAD), world.trainee)
    assert "MISSING.txt" in archive.namelist()
    assert f"{stored.pk}-observation-0.pdf" in archive.read("MISSING.txt").decode()


@pytest.mark.parametrize("role", [Role.PLANNER, Role.MANAGER, Role.MENTOR, Role.LECTURER, Role.TRAINEE])
def test_only_training_leads_may_export(world, client_as, role):
    response = client_as(role).post(reverse("privacy:export", kwargs={"pk": world.trainee.pk}))
    assert response.status_code == 403
    assert not PrivacyEvent.objects.exists()


def test_a_lead_of_another_organisation_gets_404(world, client_as):
    response = client_as("outsider").post(reverse("privacy:export", kwargs={"pk": world.trainee.pk}))
    assert response.status_code == 404
    assert not PrivacyEvent.objects.exists()


def test_the_export_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.person(Role.TRAINING_LEAD))
    response = client.post(reverse("privacy:export", kwargs={"pk": world.trainee.pk}))
    assert response.status_code == 403
    assert not PrivacyEvent.objects.exists()


def test_the_trainee_page_links_to_personal_data_for_leads_only(world, client_as):
    url = reverse("trainees:detail", kwargs={"pk": world.trainee.pk})
    link = reverse("privacy:personal_data", kwargs={"pk": world.trainee.pk}).encode()
    assert link in client_as(Role.TRAINING_LEAD).get(url).content
    assert link not in client_as(Role.PLANNER).get(url).content


def test_a_failed_export_says_why_on_the_page(world, client_as, monkeypatch):
    from privacy import services

    def broken(record, *, exported_at):
        raise OSError("disk full")

    monkeypatch.setattr(services, "build_archive", broken)
    client = client_as(Role.TRAINING_LEAD)
    page = client.post(reverse("privacy:export", kwargs={"pk": world.trainee.pk}), follow=True)
    event = PrivacyEvent.objects.get()
    assert event.status == PrivacyEvent.Status.FAILED and not event.file
    assert "The export could not be put together (OSError). Try again." in page.content.decode()


@pytest.mark.parametrize("failure", [
    "kombu.exceptions.OperationalError",  # Redis refuses the connection
    "builtins.RuntimeError",  # kombu's "Acquire on closed pool"
])
def test_an_unreachable_queue_is_said_plainly(world, client_as, monkeypatch, failure):
    import importlib

    from privacy.tasks import build_export

    module, name = failure.rsplit(".", 1)
    error = getattr(importlib.import_module(module), name)

    def unreachable(*args, **kwargs):
        raise error("Redis is down")

    monkeypatch.setattr(build_export, "apply_async", unreachable)
    page = client_as(Role.TRAINING_LEAD).post(reverse("privacy:export", kwargs={"pk": world.trainee.pk}), follow=True)
    assert "The export queue is unavailable just now" in page.content.decode()
    assert PrivacyEvent.objects.get().status == PrivacyEvent.Status.FAILED


def test_an_export_is_downloaded_only_through_its_own_trainee(world, client_as):
    """The export of one trainee cannot be fetched through another trainee's URL."""
    from ..trainees.helpers import add_trainee

    client = client_as(Role.TRAINING_LEAD)
    _export(client, world.trainee)
    event = PrivacyEvent.objects.get()
    other, _ = add_trainee(world, employee_number="E9001")
    url = reverse("privacy:export_download", kwargs={"pk": other.pk, "event_pk": event.pk})
    assert client.get(url).status_code == 404
