"""core.prepared: a statement compiled once must answer every later call as the ORM would, for
the values of that call only, bound as parameters."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
)
from django.db.models.functions import TruncDate
from django.db.models.signals import post_init
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.drafts import draft_save
from core.models import FormDraft
from core.prepared import (
    Compiled,
    Param,
    Read,
    Statement,
    compiled_once,
    instance_of,
    instances_of,
    list_size,
    list_values,
    paged,
    param_list,
    params_membership,
    read,
    read_together,
    statement,
)

pytestmark = pytest.mark.django_db

built = []


@compiled_once
def _drafts(n: int):
    built.append(n)
    return (
        FormDraft.objects.filter(user_id=Param("user_id"), title__startswith="Draft").exclude(key=Param("not_key"))
        .order_by("title").values("pk", "title", "updated_at", "user__username")
        .annotate(seen=Count("pk", filter=Q(updated_at__gte=Param("since"))))[:n]
    )


def _person(username: str):
    return get_user_model().objects.create_user(username=username, password="x")


def _draft(user, title: str):
    return draft_save(user=user, key=title, title=title, url="/somewhere/", data=QueryDict(""))


def test_each_call_gets_the_rows_of_its_own_values_as_the_orm_would():
    ann, bob = _person("ann"), _person("o'brien")
    for title in ("Draft B", "Draft A", "Not a draft title"):
        _draft(ann, title)
    _draft(bob, "Draft C")
    since = timezone.now() - timedelta(hours=1)

    for user in (ann, bob, ann):
        rows = _drafts(5).rows(user_id=user.pk, since=since, not_key="x")
        orm = list(
            FormDraft.objects.filter(user_id=user.pk, title__startswith="Draft").exclude(key="x")
            .order_by("title").values("pk", "title", "updated_at", "user__username")
            .annotate(seen=Count("pk", filter=Q(updated_at__gte=since)))[:5]
        )
        assert rows == orm
    assert [row["title"] for row in _drafts(5).rows(user_id=ann.pk, since=since, not_key="x")] == ["Draft A", "Draft B"]
    # A value with a quote is bound, not written into the SQL.
    assert [row["title"] for row in _drafts(5).rows(user_id=ann.pk, since=since, not_key="Draft A'")] == [
        "Draft A", "Draft B"]
    _draft(ann, "Draft A'")
    assert [row["title"] for row in _drafts(5).rows(user_id=ann.pk, since=since, not_key="Draft A'")] == [
        "Draft A", "Draft B"]
    assert len(_drafts(5).rows(user_id=ann.pk, since=since, not_key="x")) == 3
    assert _drafts(5).rows(user_id=bob.pk, since=since, not_key="x")[0]["user__username"] == "o'brien"
    # Converters ran: an aware datetime, as the ORM gives it.
    assert isinstance(rows[0]["updated_at"], datetime) and timezone.is_aware(rows[0]["updated_at"])
    # A later ``since``: the same statement, the new value.
    assert _drafts(5).rows(user_id=ann.pk, since=timezone.now() + timedelta(hours=1), not_key="x")[0]["seen"] == 0
    assert _drafts(1).rows(user_id=ann.pk, since=since, not_key="x") == rows[:1]


def test_it_is_built_once_per_shape_and_runs_one_statement_with_the_values_bound():
    ann = _person("ann")
    _draft(ann, "Draft A")
    _drafts.cache_clear()
    built.clear()
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            _drafts(2).rows(user_id=ann.pk, since=timezone.now(), not_key="x")
        assert len(queries) == 1
    _drafts(3).rows(user_id=ann.pk, since=timezone.now(), not_key="x")
    assert built == [2, 3]
    # The values are parameters: the SQL kept has a placeholder for each, and none of them.
    compiled = _drafts(2)
    assert compiled.slots == {"user_id", "since", "not_key"}
    assert compiled.sql.count("%s") == len(compiled.params) and "Draft A'" not in compiled.sql


def test_it_refuses_values_it_was_not_built_for():
    with pytest.raises(TypeError, match="missing"):
        _drafts(2).rows(user_id=1)  # since and not_key missing
    # A value it does not take is not used (a caller may give what any shape might take).
    assert _drafts(2).rows(user_id=1, since=timezone.now(), not_key="x", organisation_id=1) == []
    with pytest.raises(TypeError, match="not a value to bind"):
        _drafts(2).rows(user_id=None, since=timezone.now(), not_key="x")  # "= NULL" would match nothing
    with pytest.raises(TypeError, match="not a value to bind"):
        _drafts(2).rows(user_id=_person("ann"), since=timezone.now(), not_key="x")


def test_a_list_is_padded_to_a_few_lengths():
    ann, bob, eve = _person("ann"), _person("bob"), _person("eve")
    for user in (ann, bob, eve):
        _draft(user, f"Draft of {user.username}")

    @compiled_once
    def of_users(size: int):
        return FormDraft.objects.filter(user__id__in=param_list("user", size)).order_by("title").values("title")

    assert [list_size(ids) for ids in ([1], [1, 2], [1, 2, 3], list(range(8)), list(range(9)))] == [1, 2, 4, 8, 16]
    for ids in ([ann.pk], [ann.pk, eve.pk], [eve.pk, bob.pk, ann.pk]):
        size = list_size(ids)
        rows = of_users(size).rows(**list_values("user", ids, size))
        assert rows == list(FormDraft.objects.filter(user_id__in=ids).order_by("title").values("title"))
    with pytest.raises(ValueError):
        list_values("user", [], 1)


def test_only_values_querysets():
    @compiled_once
    def models():
        return FormDraft.objects.filter(user_id=Param("user_id"))

    with pytest.raises(TypeError, match="values"):
        models()


def test_an_instance_from_a_row_is_what_only_would_load():
    ann = _person("ann")
    draft = _draft(ann, "Draft A")
    row = {"the_title": "Draft A", "pk": draft.pk, "url": "/somewhere/", "user_id": ann.pk}
    # Given in another order than the model's fields: each value still lands in its own field.
    made = instance_of(FormDraft, row, {"url": "url", "title": "the_title", "user_id": "user_id", "id": "pk"})
    assert (made.pk, made.title, made.url, made.user_id) == (draft.pk, "Draft A", "/somewhere/", ann.pk)
    assert made.get_deferred_fields() == FormDraft.objects.only("title", "url", "user").get().get_deferred_fields()
    with pytest.raises(ValueError, match="not fields"):
        instance_of(FormDraft, row, {"id": "pk", "the_title": "the_title"})


def test_an_instance_from_a_row_is_what_from_db_builds_and_its_init_is_heard():
    """Built without Model.__init__ when nothing hears it: the same fields, state and related
    objects as from_db's; with a post_init receiver, built by __init__ (the receiver hears it)."""
    ann = _person("ann")
    draft = _draft(ann, "Draft A")
    row = {"title": "Draft A", "id": draft.pk, "user_id": ann.pk}
    fields = {name: name for name in row}
    made = instance_of(FormDraft, row, fields)
    loaded = FormDraft.objects.only("title", "user").get()
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in loaded.__dict__.items() if k != "_state"
    }
    assert (made._state.adding, made._state.db) == (False, loaded._state.db)
    assert made.user == ann and made.get_deferred_fields() == loaded.get_deferred_fields()
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, sender=FormDraft)
    try:
        again = instance_of(FormDraft, row, fields)
    finally:
        post_init.disconnect(receiver, sender=FormDraft)
    assert heard == [again] and again.title == "Draft A" and not again._state.adding


def test_instances_of_a_list_are_what_instance_of_builds():
    """instances_of works out once a list what instance_of works out a row: the same instances,
    and, with a post_init receiver when the list is begun, built by __init__ (heard)."""
    ann = _person("ann")
    rows = [{"title": title, "id": _draft(ann, title).pk, "user_id": ann.pk} for title in ("Draft A", "Draft B")]
    fields = {name: name for name in rows[0]}
    made = [instances_of(FormDraft, fields)(row) for row in rows]
    one_by_one = [instance_of(FormDraft, row, fields) for row in rows]
    assert [m.__dict__.keys() for m in made] == [o.__dict__.keys() for o in one_by_one]
    assert [(m.pk, m.title, m.user_id, m._state.adding, m._state.db) for m in made] == [
        (o.pk, o.title, o.user_id, o._state.adding, o._state.db) for o in one_by_one
    ]
    assert made[0].get_deferred_fields() == one_by_one[0].get_deferred_fields()
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, sender=FormDraft)
    try:
        again = [instances_of(FormDraft, fields)(row) for row in rows]
    finally:
        post_init.disconnect(receiver, sender=FormDraft)
    assert heard == again


@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_on_postgresql_it_is_prepared_once_a_session_then_only_executed(settings):
    settings.PREPARED_STATEMENTS = True
    ann = _person("ann")
    _draft(ann, "Draft 100% A")
    _drafts.cache_clear()
    since = timezone.now() - timedelta(hours=1)

    def run(**values):
        with CaptureQueriesContext(connection) as queries:
            rows = _drafts(5).rows(user_id=ann.pk, since=since, **values)
        assert len(queries) == 1  # PREPARE and EXECUTE go as one statement the first time
        return rows, queries[0]["sql"]

    first, sql = run(not_key="x")
    assert sql.startswith("PREPARE ") and "; EXECUTE " in sql
    excluded, sql = run(not_key="Draft 100% A")  # a value with a %, bound
    assert sql.startswith("EXECUTE ") and "SELECT" not in sql
    assert [row["title"] for row in first] == ["Draft 100% A"] and excluded == []
    assert run(not_key="it's 100%'; --")[0] == first  # and with quotes
    # A new database session has none of the old one's statements: prepared again.
    connection.close()
    rows, sql = run(not_key="x")
    assert sql.startswith("PREPARE ") and rows == first
    assert run(not_key="x")[1].startswith("EXECUTE ")

    settings.PREPARED_STATEMENTS = False
    plain, sql = run(not_key="x")
    assert plain == first and sql.startswith("SELECT")


@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_on_postgresql_each_statement_is_planned_once_for_any_values(settings):
    """Not planned again for each call's values (plan_cache_mode "auto" plans the first five,
    and any later one whose plan for the values looks cheaper): a generic plan from the first."""
    if connection.vendor != "postgresql":
        pytest.skip("statements are prepared on PostgreSQL only")
    settings.PREPARED_STATEMENTS = True
    ann = _person("ann")
    _draft(ann, "Draft A")
    _drafts.cache_clear()
    connection.close()  # a new database session, as each process starts one
    for hours in range(1, 8):
        assert len(_drafts(5).rows(user_id=ann.pk, since=timezone.now() - timedelta(hours=hours), not_key="x")) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'drafts%%'")
        assert cursor.fetchall() == [(7, 0)]
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
    # Not behind a pooler (nothing prepared): the server chooses, as for any other statement.
    settings.PREPARED_STATEMENTS = False
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)


def test_a_builder_without_the_role_cannot_compile_a_narrowing_that_depends_on_it():
    """trainees_visible_to narrows by role: compiled for no role, it must fail, not serve one
    role's narrowing to all."""
    from trainees.selectors import trainees_visible_to

    @compiled_once
    def visible():
        return trainees_visible_to(membership=params_membership()).values("pk")

    with pytest.raises(TypeError, match="role"):
        visible()
    assert params_membership("manager").role == "manager"


@compiled_once
def _titles_page(empty: bool):
    """A Statement: the ORM's SQL of a QuerySet with a Param, written around with LIMIT and
    OFFSET as values, and a literal %."""
    drafts = FormDraft.objects.filter(user_id=Param("user_id")).values(name=F("title"), at=F("updated_at"))
    if empty:
        drafts = drafts.filter(pk__in=[])
    return statement(
        "SELECT d.name, d.name LIKE '%%100%%' AS hundred FROM ({drafts}) d ORDER BY d.name"
        " LIMIT %(limit)s OFFSET %(offset)s",
        ("name", "hundred"), drafts=drafts,
    )


@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_a_statement_written_around_the_orm_is_compiled_once_and_bound(settings):
    settings.PREPARED_STATEMENTS = True
    ann, bob = _person("ann"), _person("bob")
    for title in ("Draft C", "Draft 100% A", "Draft B"):
        _draft(ann, title)
    _draft(bob, "Draft D")
    _titles_page.cache_clear()
    assert _titles_page(False).slots == {"user_id", "limit", "offset"}

    def run(**values):
        with CaptureQueriesContext(connection) as queries:
            rows = _titles_page(False).rows(**values)
        assert len(queries) == 1
        return [(row["name"], bool(row["hundred"])) for row in rows], queries[0]["sql"]

    first, sql = run(user_id=ann.pk, limit=2, offset=0)
    assert first == [("Draft 100% A", True), ("Draft B", False)]
    assert sql.startswith("PREPARE ") if connection.vendor == "postgresql" else "LIMIT" in sql
    second, sql = run(user_id=ann.pk, limit=2, offset=2)
    assert second == [("Draft C", False)] and "Draft" not in sql
    assert run(user_id=bob.pk, limit=5, offset=0)[0] == [("Draft D", False)]
    assert _titles_page(True).rows(user_id=ann.pk, limit=2, offset=0) == []  # a part matching nothing
    with pytest.raises(TypeError, match="missing"):
        _titles_page(False).rows(user_id=ann.pk)


@compiled_once
def _titles_paged():
    return paged(FormDraft.objects.filter(user_id=Param("user_id")).order_by("title").values("title"))


def test_a_paged_statement_binds_its_limit_and_offset():
    ann = _person("ann")
    for n in range(5):
        _draft(ann, f"Draft {n}")
    titles = [f"Draft {n}" for n in range(5)]
    compiled = _titles_paged()
    assert {"limit", "offset"} <= compiled.slots and "LIMIT 2" not in compiled.sql
    for offset, limit in ((0, 2), (2, 2), (4, 2), (5, 2), (1, 10)):
        with CaptureQueriesContext(connection) as queries:
            rows = compiled.rows(user_id=ann.pk, limit=limit, offset=offset)
        assert len(queries) == 1
        assert [row["title"] for row in rows] == titles[offset:offset + limit]
    with pytest.raises(TypeError, match="missing"):
        compiled.rows(user_id=ann.pk, limit=2)  # no offset
    with pytest.raises(TypeError, match="sliced"):
        compiled_once(lambda: paged(FormDraft.objects.order_by("pk").values("pk")[:3]))()


def test_a_written_statement_binds_its_params_and_keeps_its_constants():
    ann, bob = _person("ann"), _person("bob")
    for user, title in ((ann, "Draft 100%"), (ann, "Draft B"), (bob, "Draft C")):
        _draft(user, title)
    table = FormDraft._meta.db_table

    @compiled_once
    def titles(size: int):
        return Statement(
            f"SELECT title, user_id FROM {table} WHERE user_id IN ({', '.join(['%s'] * size)})"  # noqa: S608
            " AND title LIKE %s AND title <> %s ORDER BY title",
            (*param_list("user", size), "Draft%", Param("not_title")), ("title", "user_id"),
        )

    for ids in ([ann.pk], [ann.pk, bob.pk]):
        size = list_size(ids)
        for _ in range(2):  # prepared, then executed
            rows = titles(size).rows(**list_values("user", ids, size), not_title="Draft B")
            assert rows == list(
                FormDraft.objects.filter(user_id__in=ids).exclude(title="Draft B").order_by("title")
                .values("title", "user_id")
            )
    assert titles(1).slots == {"user0", "not_title"} and "Draft%%" not in titles(1).sql
    with pytest.raises(ValueError, match="a %s for each"):
        Compiled(Statement("SELECT 1 WHERE 1 = %s", (), ("one",)))


def test_a_statement_converts_the_columns_it_takes_from_a_part_as_the_parts_values_would():
    ann = _person("ann")
    _draft(ann, "Draft A")

    def drafts(user_id):
        return FormDraft.objects.filter(user_id=user_id).values(
            "title", day=TruncDate("updated_at"),
            whole=ExpressionWrapper(F("pk") * Value(1.0), output_field=IntegerField()),
        )

    compiled = Compiled(statement(
        "SELECT d.title, d.day, d.whole, d.whole AS other FROM ({drafts}) d", ("title", "day", "whole", "other"),
        converted_from="drafts", drafts=drafts(Param("user_id")),
    ))
    (row,) = compiled.rows(user_id=ann.pk)
    (expected,) = drafts(ann.pk)
    assert {name: row[name] for name in expected} == expected and type(row["whole"]) is int
    assert type(row["other"]) is not int  # not a column of the part's: as the database adapter gives it
    with pytest.raises(TypeError, match="values"):
        statement("SELECT 1 FROM ({drafts}) d", ("one",), converted_from="drafts", drafts=FormDraft.objects.all())


# --- Several statements read in one round trip ----------------------------------------------------

@compiled_once
def _drafts_with_data():
    return (FormDraft.objects.filter(user_id=Param("user_id")).order_by("-title")
            .values("pk", "title", "updated_at", "data", "user_id"))


@compiled_once
def _cohorts_with_figures():
    from programmes.models import Cohort

    return (Cohort.objects.filter(programme__organisation_id=Param("organisation_id")).order_by("pk")
            .values("pk", "name", "starts_on", "ends_on", "study_hours_per_week")
            .annotate(long=ExpressionWrapper(Q(study_hours_per_week__gt=5), output_field=BooleanField()),
                      third=ExpressionWrapper(F("pk") / 3.0, output_field=FloatField()), drafts=Count("pk")))


@compiled_once
def _nothing():
    return FormDraft.objects.none().values("pk")


def test_reads_together_give_what_each_gives_alone_in_one_query(world):
    """Dates, times, decimals, floats, booleans, JSON, keys and counts come back as each read
    alone gives them (read_together's JSON made again what the adapter gives, then values()'s);
    the same statement twice with its own values; a read with no rows, one that matches nothing."""
    ann, bob = _person("ann"), _person("bob")
    for title in ("Draft B", "Draft A"):
        draft_save(user=ann, key=title, title=title, url="/x/", data=QueryDict("a=1&a=2.50&b=é"))
    world.cohort.study_hours_per_week = "7.5"
    world.cohort.save()
    reads = [
        Read(_drafts_with_data(), {"user_id": ann.pk}),
        Read(_cohorts_with_figures(), {"organisation_id": world.organisation.pk}, lambda rows: ("cohorts", rows)),
        Read(_drafts_with_data(), {"user_id": bob.pk}),
        Read(_nothing(), {}),
    ]
    alone = [read(one) for one in reads]
    with CaptureQueriesContext(connection) as together_queries:
        together = read_together(*reads)
    assert together == alone
    assert len(alone[0]) == 2 and alone[1][1] and alone[2] == alone[3] == []
    assert [type(value) for value in together[1][1][0].values()] == [
        type(value) for value in alone[1][1][0].values()]
    assert together[0][0]["updated_at"].tzinfo is not None
    assert together[0][0]["data"] == {"a": ["1", "2.50"], "b": ["é"]}
    assert len(together_queries) == (1 if connection.vendor == "postgresql" else len(reads))


def test_reads_together_refuse_a_column_they_cannot_make_again():
    durations = compiled_once(lambda: FormDraft.objects.values("pk").annotate(
        took=Value(timedelta(days=1), output_field=DurationField())))
    if connection.vendor == "postgresql":
        with pytest.raises(TypeError, match="DurationField"):
            read_together(Read(durations(), {}), Read(_nothing(), {}))
