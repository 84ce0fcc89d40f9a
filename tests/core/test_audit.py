"""core.audit.audit_log_created and audit_log_changed: the entries a bulk write records read as
those a one-by-one save records, whichever way they reach the database."""

from __future__ import annotations

from datetime import UTC

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.utils import timezone

from core.audit import audit_log_changed, audit_log_created
from people import services as people_services
from programmes.models import Role
from trainees import services as trainee_services

pytestmark = pytest.mark.django_db

LEAD = Role.TRAINING_LEAD
COLUMNS = ("content_type_id", "object_pk", "object_id", "object_repr", "serialized_data", "action",
           "changes_text", "changes", "actor_id", "actor_email", "remote_addr", "remote_port", "cid")


def entry_of(obj, *, since: int) -> LogEntry:
    return LogEntry.objects.filter(object_pk=str(obj.pk), pk__gt=since).get()


def last_entry_pk() -> int:
    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_an_invitations_bulk_entry_reads_as_its_one_by_one_entry(world):
    lead = world.person(LEAD)
    trainee = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name="Priya", last_name="Shah",
        employee_number="E2002", email="priya.shah@example.nhs.uk",
    )
    before = last_entry_pk()
    alone, _ = people_services.invitation_create(
        organisation=world.organisation, email="priya.shah@example.nhs.uk", role=Role.TRAINEE,
        invited_by=lead, trainee=trainee,
    )
    alone_entry = entry_of(alone, since=before)
    alone.delete()
    [bulk] = people_services.invitations_create_for_trainees(
        organisation=world.organisation, trainees=[trainee], invited_by=lead)
    bulk_entry = entry_of(bulk, since=before)

    differs = {"id", "token_hash", "created_at", "expires_at", "last_sent_at"}
    assert set(bulk_entry.changes) == set(alone_entry.changes)
    assert {k: v for k, v in bulk_entry.changes.items() if k not in differs} == {
        k: v for k, v in alone_entry.changes.items() if k not in differs}
    for name in ("expires_at", "last_sent_at"):  # naive, in UTC, as auditlog writes them
        when = timezone.make_naive(getattr(bulk, name), UTC)
        assert bulk_entry.changes[name] == ["None", str(when)]
    assert (bulk_entry.object_repr, bulk_entry.actor_id, bulk_entry.action) == (
        alone_entry.object_repr, alone_entry.actor_id, alone_entry.action)


def test_the_entries_are_the_same_through_the_orm_as_through_the_column_arrays(world, monkeypatch):
    lead = world.person(LEAD)
    objects = [world.trainee, world.enrolment, world.enrolment.contract]
    before = last_entry_pk()
    assert audit_log_created(objects, actor=lead) == 3
    arrays = list(LogEntry.objects.filter(pk__gt=before).order_by("pk").values(*COLUMNS))

    monkeypatch.setattr(connection, "vendor", "sqlite")  # SQLite, in development, goes through bulk_create
    middle = last_entry_pk()
    assert audit_log_created(objects, actor=lead) == 3
    orm = list(LogEntry.objects.filter(pk__gt=middle).order_by("pk").values(*COLUMNS))

    assert orm == arrays
    assert [entry["object_pk"] for entry in arrays] == [str(obj.pk) for obj in objects]
    assert {(entry["actor_id"], entry["actor_email"]) for entry in arrays} == {(lead.pk, lead.email)}


def test_a_bulk_change_entry_reads_as_the_one_by_one_saves(world):
    from competencies.models import Competency

    from ..evidence.factories import make_competency, make_framework

    lead = world.person(LEAD)
    framework = make_framework(organisation=world.organisation)
    alone, bulk = make_competency(framework, id_number="A"), make_competency(framework, id_number="B")
    before = last_entry_pk()
    alone.reassessment_months, alone.is_delegated_task = 12, True
    with set_actor(lead):
        alone.save()
    was = {"reassessment_months": (None, 12), "is_delegated_task": (False, True)}
    assert audit_log_changed([(bulk, was), (framework, {"validity_months": (None, None)})], actor=lead) == 1
    alone_entry, bulk_entry = entry_of(alone, since=before), entry_of(bulk, since=before)
    assert bulk_entry.changes == alone_entry.changes == {
        "reassessment_months": ["None", "12"], "is_delegated_task": ["False", "True"]}
    assert (bulk_entry.actor_id, bulk_entry.action) == (alone_entry.actor_id, alone_entry.action) == (
        lead.pk, LogEntry.Action.UPDATE)
    assert not LogEntry.objects.filter(object_pk=str(framework.pk), content_type__model="framework",
                                       pk__gt=before).exists()  # no change, no entry
    assert Competency.objects.get(pk=bulk.pk).reassessment_months is None  # it records, never writes


def test_repeated_and_changing_moments_read_as_auditlog_reads_each(world):
    """Dates and times are converted once while they repeat (an import's invitations share
    theirs): rows whose moments repeat, change, return and are empty read as auditlog's own
    diff of each row reads them."""
    from auditlog.diff import model_instance_diff

    from people.models import Invitation

    lead = world.person(LEAD)
    now = timezone.now()
    later = now + timezone.timedelta(days=7)
    moments = [now, now, later, now, later, later]  # the same instants as other objects too
    invitations = [
        Invitation(organisation=world.organisation, email=f"m{n}@example.nhs.uk", role=Role.TRAINEE,
                   token_hash=f"{n}" * 64, invited_by=lead, expires_at=when.replace(), last_sent_at=now,
                   accepted_at=None if n % 2 else when, times_sent=1)
        for n, when in enumerate(moments)
    ]
    Invitation.objects.bulk_create(invitations)
    before = last_entry_pk()
    assert audit_log_created(invitations, actor=lead) == len(invitations)
    written = LogEntry.objects.filter(pk__gt=before).order_by("pk")
    assert [entry.changes for entry in written] == [
        {name: [str(old), str(new)] for name, (old, new) in model_instance_diff(None, obj).items()}
        for obj in invitations
    ]


def test_like_only_indexes_are_gone_where_nothing_searches_with_like_and_the_plain_ones_stay():
    """core/migrations/0003 drops the varchar_pattern_ops indexes of auditlog's object_pk and
    cid, people/migrations/0003 that of an invitation's token hash; the plain (and unique)
    ones, which auditlog's and our lookups (= and IN) use, stay."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes "
                       "WHERE tablename IN ('auditlog_logentry', 'people_invitation')")
        indexes = dict(cursor.fetchall())
    assert not [name for name, definition in indexes.items() if "pattern_ops" in definition]
    assert {"auditlog_logentry_object_pk_6e3219c0", "auditlog_logentry_cid_9f467263",
            "people_invitation_token_hash_key"} <= set(indexes)


def test_each_rows_changes_read_as_auditlogs_own_diff_of_it(world):
    """Fields are read a column at a time: every row's changes are still auditlog's diff of
    that row, whatever its neighbours hold (empty text, no ward, a foreign key left empty,
    the text "None", which auditlog leaves out, and a choice)."""
    from auditlog.diff import model_instance_diff

    from trainees.models import Enrolment, LearningContract, Trainee

    lead = world.person(LEAD)
    trainees = [
        Trainee(organisation=world.organisation, employee_number=f"D{n}", first_name=first, last_name="Diff",
                email=email, band=band, job_title=title, clinical_area=ward, line_manager=manager)
        for n, (first, email, band, title, ward, manager) in enumerate([
            ("Ama", "ama@example.nhs.uk", "4", "HCSW", world.ward, lead),
            ("None", "", "", "None", None, None),
            ("Kofi", "kofi@example.nhs.uk", "3", "", world.ward, None),
        ])
    ]
    Trainee.objects.bulk_create(trainees)
    enrolments = Enrolment.objects.bulk_create([
        Enrolment(trainee=trainee, cohort=world.cohort, status=status, enrolled_on=world.cohort.starts_on)
        for trainee, status in zip(trainees, [Enrolment.Status.ACTIVE, "applied", Enrolment.Status.APPLIED],
                                   strict=True)
    ])
    contracts = LearningContract.objects.bulk_create([
        LearningContract(enrolment=enrolment, trainee_expectations=text)
        for enrolment, text in zip(enrolments, ["Attend", "", "None"], strict=True)
    ])
    objects = [*trainees, *enrolments, *contracts]
    before = last_entry_pk()
    assert audit_log_created(objects, actor=lead) == len(objects)
    written = LogEntry.objects.filter(pk__gt=before).order_by("pk")
    assert [entry.object_pk for entry in written] == [str(obj.pk) for obj in objects]
    assert [entry.changes for entry in written] == [
        {name: [str(old), str(new)] for name, (old, new) in model_instance_diff(None, obj).items()}
        for obj in objects
    ]
    assert "job_title" not in written[1].changes and written[1].changes["clinical_area"] == ["None", "None"]
