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
