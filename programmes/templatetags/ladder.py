from django import template

register = template.Library()


@register.filter
def field_label(name: str) -> str:
    """'due_on' -> 'Due on': a readable field name without a query per audit entry (auditlog's
    changes_display_dict resolves related objects one by one)."""
    return str(name).replace("_", " ").capitalize()
