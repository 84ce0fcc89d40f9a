"""The one polling pattern for a part of a page that shows work under way (a report being
rendered, an import running, an export being put together).

    {% load polling %}
    <div id="job-progress" {% if not job.is_finished %}{% url 'reports:job_progress' job.pk as poll_url %}
                           {% poll poll_url target="job-progress" %}{% endif %}>

While the element carries these attributes, htmx (loaded once, by base.html) fetches ``url``
every ``every`` and swaps the element for the one with the same id in the answer, so ``url`` may
be the whole page or a partial; once the answer no longer polls, polling stops. Without
JavaScript a page reload shows the same.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def poll(url: str, *, target: str, every: str = "2s") -> str:
    return format_html(
        ' hx-get="{}" hx-select="#{}" hx-trigger="every {}" hx-swap="outerHTML"', url, target, every
    )
