"""The audit trail (django-auditlog): a record's history, for the page shown to leads, and the
entries of rows saved in bulk, which send no signals for auditlog to record them by."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from functools import partial
from itertools import groupby, repeat
from operator import attrgetter

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.functional import Promise

from .bulk import insert_columns


def history_for(*objects: Model, related: dict[type[Model], list[int]] | None = None) -> QuerySet[LogEntry]:
    """Audit entries for the given objects, plus (``related``) other rows by model and pk, e.g.
    an enrolment's study sessions and signatures. Newest first, with the actor loaded: one query
    (content types are cached by Django)."""
    condition = Q(pk__in=[])
    for obj in objects:
        condition |= Q(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))
    for model, pks in (related or {}).items():
        if pks:
            condition |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_pk__in=[str(pk) for pk in pks],
            )
    return LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp", "-pk")


NOT_AUDITED = {"created_at", "updated_at", "version"}  # bookkeeping, not part of the record


def audit_register(model: type[Model]) -> None:
    """Record every change to the model's own fields and many-to-many links (who, when, old
    and new values). Reverse relations and bookkeeping fields are left out, so the history
    a training lead reads lists only what a person changed."""
    auditlog.register(
        model,
        include_fields=[
            field.name for field in model._meta.concrete_fields
            if not field.auto_created and field.name not in NOT_AUDITED
        ],
        m2m_fields={field.name for field in model._meta.many_to_many},
    )


def audit_log_created(objects: list[Model], *, actor) -> int:
    """Write the "created" audit entries for rows saved with ``bulk_create`` (which sends no
    signals, so django-auditlog records nothing by itself): the same entries a one-by-one
    ``save()`` under ``set_actor(actor)`` writes (changed fields with old and new values, the
    record's text, the correlation id and the request's address when there is one), in one
    statement (core.bulk.insert_columns), in the objects' order. The objects must have their
    primary keys (bulk_create on PostgreSQL sets them) and their related objects loaded if their
    ``__str__`` reads them. Returns the number of entries written.

    Each run of objects of one model is read a field at a time (see _created_changes)."""
    from django.conf import settings

    if not objects:
        return 0
    as_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    serialized_data, readers_of = LogEntry.objects._get_serialized_data_or_none, {}
    rows = []
    for model, run in groupby(objects, key=attrgetter("__class__")):
        if not auditlog.contains(model):
            raise ValueError(f"{model.__name__} is not in the audit trail")
        run = list(run)
        pks = [obj.pk for obj in run]
        if None in pks:
            raise ValueError("audit_log_created needs saved rows (with their primary keys)")
        content_type_id = ContentType.objects.get_for_model(model).pk
        serialized = auditlog.get_serialize_options(model)["serialize_data"]
        for obj, pk, changes in zip(run, pks, _created_changes(run, as_json, readers_of), strict=True):
            if changes:
                rows.append((
                    content_type_id,
                    str(pk),
                    pk if isinstance(pk, int) else None,
                    str(obj),  # smart_str's result for a model, without its checks
                    serialized_data(obj) if serialized else None,
                    changes,
                ))
    _insert_entries(rows, _shared(LogEntry.Action.CREATE, actor))
    return len(rows)


def audit_log_changed(changes: list[tuple[Model, dict[str, tuple[object, object]]]], *, actor) -> int:
    """Write the "update" audit entries for rows changed with ``update()`` or ``bulk_update``
    (which send no signals): each row with {field name: (old value, new value)}, the values
    as the row's fields hold them, written as django-auditlog writes them (text; "None" for
    none). Rows with no change are left out. One statement (core.bulk.insert_columns);
    returns how many."""
    rows = []
    for obj, changed in changes:
        if not auditlog.contains(obj.__class__):
            raise ValueError(f"{obj.__class__.__name__} is not in the audit trail")
        written = {name: [smart_str(old), smart_str(new)] for name, (old, new) in changed.items() if old != new}
        if written:
            rows.append((
                ContentType.objects.get_for_model(obj).pk, str(obj.pk), obj.pk if isinstance(obj.pk, int) else None,
                smart_str(obj), LogEntry.objects._get_serialized_data_or_none(obj), written,
            ))
    if rows:
        _insert_entries(rows, _shared(LogEntry.Action.UPDATE, actor))
    return len(rows)


def _shared(action: int, actor) -> dict:
    """The fields every entry of one bulk write shares: the action, who (a user, or none),
    the request's address and correlation id when there are any, and the time."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from django.contrib.auth import get_user_model

    try:
        context = auditlog_value.get()
    except LookupError:
        context = {}
    actor = actor if isinstance(actor, get_user_model()) else None
    return {
        "action": action,
        "changes_text": "",  # auditlog leaves it blank too
        "actor": actor.pk if actor else None,
        "actor_email": actor.email if actor else None,
        "remote_addr": context.get("remote_addr"),
        "remote_port": context.get("remote_port"),
        "cid": get_cid(),
        "timestamp": timezone.now(),
    }


# The columns of the rows audit_log_created builds, in their order.
ENTRY_FIELDS = ("content_type", "object_pk", "object_id", "object_repr", "serialized_data", "changes")


def _insert_entries(rows: list[tuple], shared: dict, batch: int = 1000) -> None:
    """Write LogEntry rows: each row's ENTRY_FIELDS, and the ``shared`` fields' values in every
    row (one COPY for them all, or ``batch`` rows a query). On PostgreSQL through
    core.bulk.insert_columns, the writer bulk_insert uses, not through ``bulk_create``: making a
    LogEntry of each row and preparing each of its 14 fields cost 0.15 s of CPU for the 4,000
    entries of a 1,000-row enrolment import, twice what the rest of writing them costs. The
    row's values are as the fields prepare them already (numbers, text; the JSON as it is,
    which the writer dumps)."""
    from django.db import connection

    own = [LogEntry._meta.get_field(name) for name in ENTRY_FIELDS]
    same = {LogEntry._meta.get_field(name): value for name, value in shared.items()}
    if connection.vendor != "postgresql":  # SQLite, in development
        names = [field.attname for field in [*own, *same]]
        LogEntry.objects.bulk_create([
            LogEntry(**dict(zip(names, (*row, *same.values()), strict=True))) for row in rows
        ], batch_size=batch)
        return
    if rows:
        columns = [list(column) for column in zip(*rows, strict=True)]
        insert_columns(LogEntry, own, columns, constants=same, batch_size=batch)


# Types whose smart_str is their str(): the common values of a new row's fields.
_STR_AS_IS = frozenset({int, bool, float, type(None)})


def _created_changes(objs: list[Model], as_json: bool, readers_of: dict) -> list[dict | None]:
    """What ``auditlog.diff.model_instance_diff(None, obj)`` returns for each of ``objs`` (new
    rows of one model), without its cost per field of looking up (and failing to find) the
    old instance's value: for a new row every old value reads as "None". Read a field at a
    time, each value's text made as auditlog makes it: a Python call a value cost a third of
    the CPU of writing an import's entries. Falls back to auditlog's own function for JSON
    changes and masked fields. ``readers_of`` caches each model's audited fields with their
    readers."""
    from auditlog.diff import get_fields_in_model, model_instance_diff

    model = objs[0].__class__
    if model not in readers_of:
        options = auditlog.get_model_fields(model)
        fields = set(get_fields_in_model(objs[0]))
        if options["include_fields"]:
            fields = [f for f in fields if f.name in options["include_fields"]]
        if options["exclude_fields"]:
            fields = [f for f in fields if f.name not in options["exclude_fields"]]
        masked = as_json or options["mask_fields"]
        readers_of[model] = None if masked else [(field.name, _column_reader(field)) for field in fields]
    readers = readers_of[model]
    if readers is None:
        return [model_instance_diff(None, obj, use_json_for_changes=as_json) for obj in objs]
    names, columns = [], []
    for name, read in readers:
        texts = read(objs)
        if texts.count(None) < len(texts):  # a field left out of every row is not written
            names.append(name)
            columns.append(texts)
    if not columns:
        return [None] * len(objs)
    # Each row's {field: ("None", its text)}, built at once; then the values left out (few:
    # the texts None) taken out again one by one.
    pairs = [zip(repeat("None"), texts, strict=False) for texts in columns]
    changes = [dict(zip(names, row, strict=True)) for row in zip(*pairs, strict=True)]
    for name, texts in zip(names, columns, strict=True):
        if None in texts:
            for row, text in zip(changes, texts, strict=True):
                if text is None:
                    del row[name]
    return [row or None for row in changes]


def _text(value: object) -> str | None:
    """The text of a read value as _created_changes records it, or None if auditlog leaves
    it out (it compares the value with "None": a foreign key's None, not text, is kept)."""
    if value == "None":
        return None
    kind = type(value)
    # smart_str of a number or None is its str(), without smart_str's checks
    return value if kind is str else str(value) if kind in _STR_AS_IS else smart_str(value)


def _column_reader(field) -> Callable[[list[Model]], list[str | None]]:
    """The texts of one field of many objects, each as ``auditlog.diff.get_field_value(obj,
    field)`` reads it and _text writes it (None: left out), with the choice of how to read the
    field made once rather than for every row (it reads two settings a call). Text fields and
    foreign keys' ids, most of a row, are read at once; JSON and relations other than a
    foreign key's id through auditlog's own function."""
    from auditlog.diff import get_field_value
    from django.conf import settings
    from django.db.models import DateTimeField, JSONField

    if not field.concrete or isinstance(field, JSONField):
        return partial(_each, read=partial(get_field_value, field=field))
    if isinstance(field, DateTimeField):
        return partial(_each, read=_datetime_reader(field, utc=settings.USE_TZ))
    if field.is_relation:
        if settings.AUDITLOG_USE_FK_STRING_REPRESENTATION or not hasattr(field, "rel_class"):
            return partial(_each, read=partial(get_field_value, field=field))
        return partial(_ids, get=attrgetter(field.get_attname()))
    return partial(_plain, get=attrgetter(field.name))


def _each(objs: list[Model], *, read: Callable[[Model], object]) -> list[str | None]:
    return [_text(read(obj)) for obj in objs]


def _plain(objs: list[Model], *, get: Callable[[Model], object]) -> list[str | None]:
    """get_field_value's reading of a plain field: smart_str of the value (a lazy translation
    as its text), so a None reads "None" and is left out."""
    values = list(map(get, objs))
    if all(type(value) is str for value in values):
        return values if "None" not in values else [None if value == "None" else value for value in values]
    return [_text(value if isinstance(value, str) else _smart_text(value)) for value in values]


def _smart_text(value: object) -> str:
    value = smart_str(value)
    return str(value) if isinstance(value, Promise) else value


def _ids(objs: list[Model], *, get: Callable[[Model], object]) -> list[str | None]:
    """get_field_value's reading of a foreign key: its id, as it is if a number or None (so
    None is recorded, as "None"), else smart_str's text of it."""
    values = list(map(get, objs))
    if all(value is None or type(value) is int for value in values):
        return list(map(str, values))
    return [_text(_read_id(value)) for value in values]


def _read_id(value: object) -> object:
    """get_field_value's reading of a foreign key's id: as it is if a number or None."""
    return value if value is None or isinstance(value, int) else smart_str(value, strings_only=True)


def _datetime_reader(field, *, utc: bool) -> Callable[[Model], object]:
    """get_field_value's reading of a date and time (naive, in UTC; None as it is), with USE_TZ
    read once, as the text smart_str makes of it. The rows of a bulk write mostly share their
    moments (an import's thousand invitations are sent and expire at the same instants): each
    is converted once while it repeats, not once a row."""
    last = [object(), None]  # the value last read, and its text

    def read(obj: Model) -> object:
        value = getattr(obj, field.name)
        if value == last[0]:  # an equal instant reads the same: the text is of its UTC time
            return last[1]
        text = field.to_python(value)
        if text is not None:
            if utc and not timezone.is_naive(text):
                text = timezone.make_naive(text, timezone=UTC)
            text = str(text)
        last[:] = value, text
        return text

    return read
