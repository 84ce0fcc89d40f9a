"""Reading the audit trail (django-auditlog) of a record, for the history shown to leads."""

from __future__ import annotations

from auditlog.models import LogEntry
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
