"""The items of a due list (programmes.due.DueItem), as the home page and the full list show them.

    {% load due_items %}
    <ul class="nhsuk-list nhsuk-list--border" data-testid="due-list">{% due_items items %}</ul>

Written here rather than by including a template for each item: twenty includes took the
template engine a millisecond, most of what is left of a home page's own rendering once its
queries are done, for a few lines of fixed markup around escaped text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.status import StatusTag
from core.templatetags.components import escape_text, status_tag
from programmes.due import DueItem

register = template.Library()

# The markup the item template had, line breaks and indents included, so the pages are the same.
_ITEM = '\n<li>\n  <a href="{}">{}</a>\n  {}\n  {}\n</li>\n'
_DETAIL = '<p class="nhsuk-body-s nhsuk-u-margin-bottom-0">{}</p>'


@lru_cache(maxsize=512)
def _tag_html(tag: StatusTag) -> str:
    """A due-date tag's markup: a list's items share a few ("Overdue", a handful of days)."""
    return status_tag(tag)


def _item_html(item: DueItem, today) -> str:
    # Each text escaped as format_html would (escape_text), without its machinery for lazy
    # strings: twenty items through format_html took a quarter of a millisecond.
    tag = item.status_tag_on(today)
    return _ITEM.format(
        escape_text(item.url), escape_text(item.title), _tag_html(tag) if tag else "",
        _DETAIL.format(escape_text(item.detail)) if item.detail else "",
    )


@register.simple_tag
def due_items(items: Iterable[DueItem]) -> SafeString:
    """Each item as a list entry: its link, its due-date tag and its detail."""
    today = timezone.localdate()
    return mark_safe("".join(_item_html(item, today) for item in items))  # noqa: S308 (each text escaped; the markup fixed) # nosec B308
