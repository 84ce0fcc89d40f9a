"""Template filters for the case study."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def paragraphs(text: str) -> SafeString:
    """A lead's words as paragraphs: each non-empty line its own <p> (escaped)."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    return format_html_join("\n", "<p>{}</p>", ((line,) for line in lines))
