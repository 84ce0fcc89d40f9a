"""The import writes in bulk: every row, with the audit entries the one-by-one services write
(actor: the lead who confirmed), in a number of queries that does not grow with the rows;
and a row refused anywhere writes nothing."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from people.models import Invitation
from programmes.models import Role
from trainees import services as trainee_services
from trainees.enrolment_import.services import enrolment_import_apply, enrolment_import_upload
from trainees.models import Enrolment, EnrolmentTransition, LearningContract, Trainee

from .helpers import good_csv

pytestmark = pytest.mark.django_db

LEAD = Role.TRAINING_LEAD


def imported(world, rows: int, start: int = 1) -> tuple[int, object]:
    """Upload and apply ``rows`` new trainees as the lead; (queries of the apply, the job)."""
    lead = world.person(LEAD)
    outcome = enrolment_import_upload(
        cohort=world.cohort, actor=lead,
        upload=SimpleUploadedFile("t.csv", good_csv(rows, start), content_type="text/csv"),
    )
    assert outcome.job is not None, outcome.row_errors or outcome.file_errors
    job = outcome.job
    job.confirmed_by = lead
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        enrolment_import_apply(job=job)
    return len(queries), job


def entries(model: str, pks) -> list[LogEntry]:
    return list(LogEntry.objects.filter(content_type__model=model, object_pk__in=[str(pk) for pk in pks]))


def test_n_rows_write_n_enrolments_and_their_audit_entries_by_the_lead(world):
    lead = world.person(LEAD)
    _, job = imported(world, 12)

    new = Enrolment.objects.filter(cohort=world.cohort).exclude(pk=world.enrolment.pk)
    assert new.count() == 12 and job.result["created"] == 12
    trainee_ids = list(new.values_list("trainee_id", flat=True))
    contracts = LearningContract.objects.filter(enrolment__in=new)
    assert contracts.count() == 12
    assert EnrolmentTransition.objects.filter(enrolment__in=new, actor=lead, to_status="active").count() == 12
    assert Invitation.objects.filter(trainee_id__in=trainee_ids).count() == 12
    for model, pks in (("trainee", trainee_ids), ("enrolment", new.values_list("pk", flat=True)),
                       ("learningcontract", contracts.values_list("pk", flat=True)),
                       ("invitation", Invitation.objects.values_list("pk", flat=True))):
        found = entries(model, pks)
        assert len(found) == 12, model
        assert {(e.action, e.actor_id) for e in found} == {(LogEntry.Action.CREATE, lead.pk)}, model


def test_a_bulk_entry_reads_as_the_one_by_one_entry_does(world):
    lead = world.person(LEAD)
    _, _ = imported(world, 1)
    bulk = Trainee.objects.get(employee_number="N00001")
    alone = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, employee_number="N00002", first_name="Trainee",
        last_name="Number 1", email="trainee1@example.nhs.uk", band="3", job_title="HCSW",
        clinical_area=bulk.clinical_area, line_manager=bulk.line_manager, mentor=bulk.mentor,
    )
    [bulk_entry], [alone_entry] = entries("trainee", [bulk.pk]), entries("trainee", [alone.pk])
    differs = {"employee_number"}
    assert {k: v for k, v in bulk_entry.changes.items() if k not in differs} == {
        k: v for k, v in alone_entry.changes.items() if k not in differs}
    assert bulk_entry.object_repr == alone_entry.object_repr
    assert bulk_entry.actor_email == alone_entry.actor_email == lead.email


def test_the_queries_do_not_grow_with_the_rows(world):
    small, _ = imported(world, 10)
    Enrolment.objects.filter(cohort=world.cohort).exclude(pk=world.enrolment.pk).delete()
    big, _ = imported(world, 100, start=101)
    assert small == big, (small, big)
    assert Enrolment.objects.filter(cohort=world.cohort).count() == 101


def test_a_row_refused_anywhere_writes_nothing(world):
    lead = world.person(LEAD)
    rows = []
    for n in range(1, 8):
        trainee = Trainee(organisation=world.organisation, employee_number=f"B{n:03d}", first_name="Bulk",
                          last_name=f"Row {n}", email=f"bulk{n}@example.nhs.uk")
        rows.append(trainee_services.NewEnrolment(trainee=trainee, status="active", key=n + 1))
    rows[5].trainee.email = "not an address"
    before = (Trainee.objects.count(), Enrolment.objects.count(), LogEntry.objects.count())
    with pytest.raises(trainee_services.BulkRefused) as refused:
        trainee_services.enrolments_create_bulk(cohort=world.cohort, actor=lead, rows=rows)
    assert refused.value.key == 7
    assert "valid email" in " ".join(refused.value.messages)
    assert (Trainee.objects.count(), Enrolment.objects.count(), LogEntry.objects.count()) == before
