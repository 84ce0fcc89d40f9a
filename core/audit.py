"""Reading the audit trail (django-auditlog) of a record, for the history shown to leads."""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet


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


def audit_log_created(objects: list[Model], *, actor) -> list[LogEntry]:
    """Write the "created" audit entries for rows saved with ``bulk_create`` (which sends no
    signals, so django-auditlog records nothing by itself): the same entries a one-by-one
    ``save()`` under ``set_actor(actor)`` writes (changed fields with old and new values, the
    record's text, the correlation id and the request's address when there is one), in one
    INSERT. The objects must have their primary keys (bulk_create on PostgreSQL sets them) and
    their related objects loaded if their ``__str__`` reads them."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django.utils.encoding import smart_str

    if not objects:
        return []
    try:
        context = auditlog_value.get()
    except LookupError:
        context = {}
    as_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    actor = actor if isinstance(actor, get_user_model()) else None
    cid, now, manager = get_cid(), timezone.now(), LogEntry.objects
    fields_of: dict[type[Model], list | None] = {}
    entries = []
    for obj in objects:
        if not auditlog.contains(obj.__class__):
            raise ValueError(f"{obj.__class__.__name__} is not in the audit trail")
        if obj.pk is None:
            raise ValueError("audit_log_created needs saved rows (with their primary keys)")
        changes = _created_changes(obj, as_json, fields_of)
        if not changes:
            continue
        entries.append(LogEntry(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            object_id=obj.pk if isinstance(obj.pk, int) else None,
            object_repr=smart_str(obj),
            serialized_data=manager._get_serialized_data_or_none(obj),
            action=LogEntry.Action.CREATE,
            changes=changes,
            actor=actor,
            actor_email=getattr(actor, "email", None) if actor else None,
            remote_addr=context.get("remote_addr"),
            remote_port=context.get("remote_port"),
            cid=cid,
            timestamp=now,
        ))
    return LogEntry.objects.bulk_create(entries, batch_size=1000)


def _created_changes(obj: Model, as_json: bool, fields_of: dict) -> dict | None:
    """What ``auditlog.diff.model_instance_diff(None, obj)`` returns, without its cost per
    field of looking up (and failing to find) the old instance's value: for a new row every old
    value reads as "None". Falls back to auditlog's own function for JSON changes and masked
    fields. ``fields_of`` caches each model's audited fields."""
    from auditlog.diff import get_field_value, get_fields_in_model, model_instance_diff
    from django.utils.encoding import smart_str

    model = obj.__class__
    if model not in fields_of:
        options = auditlog.get_model_fields(model)
        fields = set(get_fields_in_model(obj))
        if options["include_fields"]:
            fields = [f for f in fields if f.name in options["include_fields"]]
        if options["exclude_fields"]:
            fields = [f for f in fields if f.name not in options["exclude_fields"]]
        fields_of[model] = None if (as_json or options["mask_fields"]) else list(fields)
    fields = fields_of[model]
    if fields is None:
        return model_instance_diff(None, obj, use_json_for_changes=as_json)
    changes = {}
    for field in fields:
        value = get_field_value(obj, field, False)
        if value != "None":  # compared as auditlog compares: a foreign key's None is a change
            changes[field.name] = (smart_str("None"), smart_str(value))
    return changes or None
