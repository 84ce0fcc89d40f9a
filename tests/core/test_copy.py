"""core.copy: the bulk writes go to PostgreSQL by COPY, with the same rows, errors and query
log as an INSERT; and core.bulk.insert_values, rows written with no instance a row."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.bulk import bulk_insert, insert_values
from core.copy import NULL, copy_texts
from programmes.models import Role
from trainees.models import Enrolment, EnrolmentTransition, Trainee

pytestmark = pytest.mark.django_db

AWKWARD = ["tab\there", "two\nlines", "carriage\rreturn", "back\\slash", "\\N", "\\.", "", "NULL", 'say "hi", {x}',
           "Zoë Ñúñez 名前"]


def test_each_value_is_written_as_copy_reads_it():
    when = timezone.now()
    assert copy_texts(["a", None, "b\tc"]) == ["a", NULL, "b\\tc"]
    assert copy_texts(["back\\slash", "\\N"]) == ["back\\\\slash", "\\\\N"]  # text that looks like NULL is text
    assert copy_texts([1, None, 2]) == ["1", NULL, "2"] and copy_texts([3, 4]) == ["3", "4"]
    assert copy_texts([True, False, Decimal("1.50"), date(2026, 1, 2)]) == ["t", "f", "1.50", "2026-01-02"]
    assert copy_texts([when, when]) == [when.isoformat()] * 2
    assert copy_texts([Role.TRAINEE]) == ["trainee"]  # a choice is its text
    assert copy_texts([{"a": ["None", "x\ty"]}, None], json_encoder=json.JSONEncoder()) == [
        '{"a": ["None", "x\\\\ty"]}', NULL]
    # Refused (the caller sends the column another way): a naive time, a type not written here.
    assert copy_texts([timezone.make_naive(when)]) is None
    assert copy_texts([1.5]) is None and copy_texts([object()]) is None


def test_any_text_arrives_by_copy_as_it_was_and_none_as_null(world):
    trainees = [Trainee(organisation=world.organisation, employee_number=f"C{n}", first_name=text or "x",
                        last_name="X", job_title=text, clinical_area=world.ward if n % 2 else None)
                for n, text in enumerate(AWKWARD)]
    with CaptureQueriesContext(connection) as queries:
        bulk_insert(trainees)
    assert [q["sql"].split()[0] for q in queries if "trainees_trainee" in q["sql"]] == ["SELECT", "COPY"]
    stored = Trainee.objects.in_bulk([t.pk for t in trainees])
    assert [stored[t.pk].job_title for t in trainees] == AWKWARD
    assert [stored[t.pk].clinical_area_id for t in trainees] == [world.ward.pk if n % 2 else None
                                                                 for n in range(len(AWKWARD))]
    assert [t.pk for t in trainees] == sorted(t.pk for t in trainees)  # keys in the rows' order


def test_a_clash_arrives_as_djangos_integrity_error_and_writes_nothing(world):
    before = Trainee.objects.count()
    twins = [Trainee(organisation=world.organisation, employee_number="TWIN", first_name="A", last_name=str(n))
             for n in range(2)]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(twins)
    assert Trainee.objects.count() == before


def test_copy_goes_through_the_execute_wrappers(world):
    seen = []

    def refuse_copy(execute, sql, params, many, context):
        seen.append(sql.split()[0])
        if sql.startswith("COPY"):
            raise OperationalError("injected")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_copy), pytest.raises(OperationalError), transaction.atomic():
        bulk_insert([Trainee(organisation=world.organisation, employee_number="W1", first_name="A", last_name="B")])
    assert [sql for sql in seen if sql not in ("SAVEPOINT", "RELEASE", "ROLLBACK")] == ["SELECT", "COPY"]
    assert not Trainee.objects.filter(employee_number="W1").exists()


def test_audit_entries_by_copy_keep_their_json_and_shared_values(world):
    kind = ContentType.objects.get_for_model(Trainee)
    values = [{"first_name": ["None", 'O\'Brien "Jo" \\ {x}\tNULL\n']}, None, {"n": [1, 2.5, True, None]}]
    entries = [LogEntry(content_type=kind, object_pk=str(n), object_repr=AWKWARD[n], action=0, changes=value,
                        timestamp=timezone.now(), remote_addr="10.0.0.1" if n else None)
               for n, value in enumerate(values)]
    bulk_insert(entries)
    stored = LogEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")
    assert [(e.changes, e.object_repr, e.remote_addr) for e in stored] == [
        (value, AWKWARD[n], "10.0.0.1" if n else None) for n, value in enumerate(values)]


def test_insert_values_writes_the_rows_bulk_create_writes(world):
    lead = world.person(Role.TRAINING_LEAD)
    by_orm = EnrolmentTransition.objects.bulk_create([
        EnrolmentTransition(enrolment=world.enrolment, from_status="", to_status=status, actor=lead, reason=reason)
        for status, reason in (("active", "One"), ("paused", "Two\tthree"))])
    before = set(EnrolmentTransition.objects.values_list("pk", flat=True))
    started = timezone.now()
    assert insert_values(EnrolmentTransition, {
        "enrolment_id": [world.enrolment.pk] * 2, "to_status": ["active", Enrolment.Status.PAUSED],
        "reason": ["One", "Two\tthree"]}, constants={"from_status": "", "actor_id": lead.pk}) is None

    def rows(queryset):
        return list(queryset.order_by("pk").values("enrolment_id", "from_status", "to_status", "reason", "actor_id"))

    written = EnrolmentTransition.objects.exclude(pk__in=before)
    assert rows(written) == rows(EnrolmentTransition.objects.filter(pk__in=[t.pk for t in by_orm]))
    assert len({t.at for t in written}) == 1 and written[0].at >= started  # auto_now_add: the call's moment


def test_insert_values_elsewhere_makes_the_instances_for_bulk_create(world, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    before = set(EnrolmentTransition.objects.values_list("pk", flat=True))
    insert_values(EnrolmentTransition, {"enrolment_id": [world.enrolment.pk], "to_status": ["active"]},
                  constants={"from_status": "", "reason": "Elsewhere", "actor_id": None})
    [written] = EnrolmentTransition.objects.exclude(pk__in=before)
    assert (written.enrolment_id, written.to_status, written.reason, written.actor_id) == (
        world.enrolment.pk, "active", "Elsewhere", None)
    assert written.at is not None


def test_insert_values_refuses_a_field_whose_default_is_a_function(world):
    from trainees.enrolment_import.models import EnrolmentImport

    with pytest.raises(ValueError, match="default is a function"):  # each row would need its own call
        insert_values(EnrolmentImport, {"original_name": ["a.csv"]})
