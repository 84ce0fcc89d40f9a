"""The items of a due list (programmes.due.DueItem), as the home page and the full list show them.

    {% load due_items %}
    <ul class="nhsuk-list nhsuk-list--border" data-testid="due-list">{% due_items items %}</ul>

Written here rather than by including a template for each item: twenty includes took the
template engine a millisecond, most of what is left of a home page's own rendering once its
queries are done, for a few lines of fixed markup around escaped text.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.templatetags.components import status_tag
from programmes.due import DueItem

register = template.Library()

# The markup the item template had, line breaks and indents included, so the pages are the same.
_ITEM = '\n<li>\n  <a href="{}">{}</a>\n  {}\n  {}\n</li>\n'
_DETAIL = '<p class="nhsuk-body-s nhsuk-u-margin-bottom-0">{}</p>'


def _item_html(item: DueItem) -> SafeString:
    tag = item.status_tag
    return format_html(
        _ITEM, item.url, item.title, status_tag(tag) if tag else "",
        format_html(_DETAIL, item.detail) if item.detail else "",
    )


@register.simple_tag
def due_items(items: Iterable[DueItem]) -> SafeString:
    """Each item as a list entry: its link, its due-date tag and its detail."""
    return mark_safe("".join(_item_html(item) for item in items))  # noqa: S308 (each part escaped by format_html) # nosec B308
