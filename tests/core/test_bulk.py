"""core.bulk.bulk_insert: the rows bulk_create would write, with the same checks, whichever
way the values reach the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from core.bulk import array_param, bulk_insert
from people.models import Invitation
from programmes.models import Role
from trainees.models import Enrolment, EnrolmentTransition, Trainee

pytestmark = pytest.mark.django_db

LEAD = Role.TRAINING_LEAD


def new_trainees(world, prefix: str) -> list[Trainee]:
    """Two new trainees with every kind of field set: text, a choice, foreign keys by object,
    one left empty."""
    return [
        Trainee(organisation=world.organisation, employee_number=f"{prefix}{n}", first_name="Ama",
                last_name=f"Owusu {n}", email=f"{prefix.lower()}{n}@example.nhs.uk", band="4",
                job_title="HCSW", clinical_area=world.ward if n == 1 else None,
                line_manager=world.person(Role.MANAGER), mentor=world.person(Role.MENTOR))
        for n in (1, 2)
    ]


def saved(model, objs, *, leave_out=("id", "employee_number", "email", "created_at", "updated_at")) -> list[dict]:
    names = [f.attname for f in model._meta.concrete_fields if f.name not in leave_out]
    return list(model.objects.filter(pk__in=[o.pk for o in objs]).order_by("pk").values(*names))


def test_the_rows_are_those_bulk_create_writes(world):
    by_orm = Trainee.objects.bulk_create(new_trainees(world, "O"))
    by_columns = bulk_insert(new_trainees(world, "C"))

    assert all(t.pk and not t._state.adding and t._state.db == "default" for t in by_columns)
    assert saved(Trainee, by_columns) == saved(Trainee, by_orm)
    assert by_columns[0].created_at is not None  # auto_now_add: set on the objects, as pre_save sets it
    assert len({t.created_at for t in by_columns}) == len({t.updated_at for t in by_columns}) == 1  # one moment
    stored = Trainee.objects.get(pk=by_columns[0].pk)
    assert (stored.employee_number, stored.email, stored.created_at) == (
        "C1", "c1@example.nhs.uk", by_columns[0].created_at)


def test_any_text_arrives_as_it_was(world):
    """Text goes inside an array literal: quotes, backslashes, braces, commas, the word NULL,
    blanks and lines arrive as they were, and an empty value stays empty, not NULL."""
    awkward = ['O\'Brien "Jo"', "back\\slash\\", "{braces}, commas", "NULL", " spaced ", "two\nlines", "",
               "Zoë Ñúñez 名前"]
    trainees = [Trainee(organisation=world.organisation, employee_number=f"T{n}", first_name=text, last_name="X",
                        job_title=text) for n, text in enumerate(awkward)]
    bulk_insert(trainees)
    stored = dict(Trainee.objects.filter(pk__in=[t.pk for t in trainees]).values_list("pk", "first_name"))
    assert [stored[t.pk] for t in trainees] == awkward


def test_an_array_literal_only_for_values_written_as_text():
    when = timezone.now()
    assert array_param(["a", None, 'say "hi"']) == '{"a",NULL,"say \\"hi\\""}'
    assert array_param(['say "hi"', "back\\slash"]) == '{"say \\"hi\\"","back\\\\slash"}'
    assert array_param([1, None, True, False]) == "{1,NULL,t,f}"
    assert array_param([1, 2]) == "{1,2}" and array_param([]) == "{}"
    assert array_param([when.date(), when]) == f'{{{when.date().isoformat()},"{when.isoformat()}"}}'
    naive, other = [timezone.make_naive(when)], [1.5]
    assert array_param(naive) is naive and array_param(other) is other  # the driver adapts those


def test_values_that_need_preparing_are_prepared(world):
    """A choice given as its enum member, a date and time given naive (made aware, as
    bulk_create does, with its warning) are prepared by their field."""
    lead = world.person(LEAD)
    when = timezone.now().replace(microsecond=0) + timedelta(days=7)
    invitation = Invitation(organisation=world.organisation, email="new@example.nhs.uk", role=Role.TRAINEE,
                            token_hash="x" * 64, invited_by=lead, expires_at=when, last_sent_at=when, times_sent=1)
    transition = EnrolmentTransition(enrolment=world.enrolment, from_status="", actor=lead,
                                     to_status=Enrolment.Status.ACTIVE, reason="Enrolled")
    naive = Invitation(organisation=world.organisation, email="naive@example.nhs.uk", role=Role.TRAINEE,
                       token_hash="y" * 64, expires_at=timezone.make_naive(when), last_sent_at=when)
    bulk_insert([invitation])
    bulk_insert([transition])
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        bulk_insert([naive])

    assert Invitation.objects.get(pk=invitation.pk).expires_at == when
    assert Invitation.objects.get(pk=naive.pk).expires_at == when
    assert EnrolmentTransition.objects.get(pk=transition.pk).to_status == "active"


def test_a_row_takes_the_key_of_a_related_row_saved_after_it_was_assigned(world):
    trainee = new_trainees(world, "K")[0]
    enrolment = Enrolment(trainee=trainee, cohort=world.cohort, status="active", enrolled_on=world.cohort.starts_on)
    bulk_insert([trainee])
    bulk_insert([enrolment])
    assert Enrolment.objects.get(pk=enrolment.pk).trainee_id == trainee.pk


def test_an_unsaved_related_row_is_refused_and_nothing_is_written(world):
    trainee = new_trainees(world, "U")[0]
    enrolment = Enrolment(trainee=trainee, cohort=world.cohort, status="active", enrolled_on=world.cohort.starts_on)
    before = Enrolment.objects.count()
    with pytest.raises(ValueError, match="unsaved related object 'trainee'"):
        bulk_insert([enrolment])
    assert Enrolment.objects.count() == before


def test_batches_keep_each_row_with_its_key(world):
    trainees = bulk_insert(new_trainees(world, "B") + new_trainees(world, "D"), batch_size=3)
    assert [Trainee.objects.get(pk=t.pk).employee_number for t in trainees] == ["B1", "B2", "D1", "D2"]


def test_other_databases_go_through_bulk_create(world, monkeypatch):
    calls = []
    original = QuerySet.bulk_create

    def counted(queryset, objs, **options):
        calls.append(len(objs))
        return original(queryset, objs, **options)

    monkeypatch.setattr(QuerySet, "bulk_create", counted)
    bulk_insert(new_trainees(world, "P"))
    monkeypatch.setattr(connection, "vendor", "sqlite")
    sqlite = bulk_insert(new_trainees(world, "S"))
    assert calls == [2]
    assert saved(Trainee, sqlite) == saved(Trainee, Trainee.objects.filter(employee_number__startswith="P"))


def test_a_value_with_a_quote_is_escaped_whichever_row_it_is_in():
    """The column is joined at once and escaped only when a value needs it (a quote or a
    backslash, even one that looks like the separator between two values)."""
    assert array_param(["plain", "text"]) == '{"plain","text"}'
    assert array_param(["plain", 'say "hi"']) == '{"plain","say \\"hi\\""}'
    assert array_param(['a","b', "c"]) == '{"a\\",\\"b","c"}'
    assert array_param(['"']) == '{"\\""}' and array_param(["\\"]) == '{"\\\\"}'


def test_json_goes_as_one_document_and_none_is_null(world):
    """A JSONField column (here an audit entry's) arrives as each value was, whatever text it
    holds; None is SQL NULL, as the field saves it, and a batch keeps each row's own."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Trainee)
    values = [{"first_name": ["None", 'O\'Brien "Jo" \\ {x}, NULL']}, None, {"n": [1, 2.5, True, None]}, ["a", {}]]
    entries = [LogEntry(content_type=kind, object_pk=str(n), object_repr="x", action=0, changes=value,
                        serialized_data=value, timestamp=timezone.now()) for n, value in enumerate(values)]
    bulk_insert(entries, batch_size=3)

    stored = LogEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")
    assert [entry.changes for entry in stored] == values
    assert [entry.serialized_data for entry in stored] == values
    assert list(stored.filter(changes__isnull=True).values_list("object_pk", flat=True)) == ["1"]


def test_insert_columns_writes_the_constants_in_every_row_and_returns_the_keys_in_order(world):
    from core.bulk import insert_columns

    fields = [Trainee._meta.get_field(name) for name in ("employee_number", "first_name", "last_name")]
    constants = {Trainee._meta.get_field("organisation"): world.organisation.pk,
                 Trainee._meta.get_field("band"): "5", Trainee._meta.get_field("job_title"): "HCSW",
                 Trainee._meta.get_field("email"): "", Trainee._meta.get_field("created_at"): timezone.now(),
                 Trainee._meta.get_field("updated_at"): timezone.now()}
    numbers = ["Q3", "Q1", "Q2"]
    pks = insert_columns(Trainee, fields, [numbers, ["A", "B", "C"], ["X", "Y", "Z"]], constants=constants,
                         returning=True, batch_size=2)
    stored = Trainee.objects.in_bulk(pks)
    assert [stored[pk].employee_number for pk in pks] == numbers
    assert {(t.organisation_id, t.band, t.job_title) for t in stored.values()} == {(world.organisation.pk, "5", "HCSW")}
    assert insert_columns(Trainee, fields, [["Q4"], ["D"], ["W"]], constants=constants) is None
