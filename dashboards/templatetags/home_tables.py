"""The rows of the home pages' tables, written in Python rather than with {% row %} and {% cell %}
in a loop: the lecturer's cohorts (four rows took the template engine 0.7 ms, more than the rest
of the page's own rendering), the lead's and planner's programmes and people by role (0.5 and
0.2 ms). The markup is the components' (core.templatetags.components.row_html and cell_html),
line breaks and indents as the loops wrote them, so the pages are the same.

    {% load components home_tables %}
    {% data_table headers="Cohort|Dates|In training|Due" ... %}
    {% taught_cohort_rows cohorts %}
    {% enddata_table %}
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from core.links import url_with_pk
from core.templatetags.components import cell_html, escape_text, row_html, status_tag
from programmes.models import Cohort, Programme

register = template.Library()

_COHORT = '<span><a href="{}">{}</a><br><span class="nhsuk-body-s">{}, {}</span></span>'
_SEE_DUE = '<br><a href="{}?cohort={}">See what is due<span class="nhsuk-u-visually-hidden"> in {}</span></a></span>'


def _plural(n: int) -> str:
    return "" if n == 1 else "s"  # the pluralize filter


def _due_html(cohort: Cohort, due_url: str) -> str:
    """What is due in the cohort for the lecturer: reviews (and how many overdue), contracts to
    sign, and a link to the full list filtered to the cohort; or "Nothing due"."""
    reviews, contracts = cohort.reviews_due, cohort.contracts_to_sign
    if not (reviews or contracts):
        return "Nothing due"
    parts = ["<span>"]
    if reviews:
        parts.append(f"{int(reviews)} progress review{_plural(reviews)} due")
        if cohort.reviews_overdue:
            parts.append(f", <strong>{int(cohort.reviews_overdue)} overdue</strong>")
        if contracts:
            parts.append("<br>")
    if contracts:
        parts.append(f"{int(contracts)} learning contract{_plural(contracts)} to sign")
    # The filter's value is the due items' "Programme: Cohort" (trainees.due), URL-quoted as the
    # urlencode filter quotes it.
    where = quote(f"{cohort.programme.title}: {cohort.name}", safe="/")
    parts.append(_SEE_DUE.format(escape_text(due_url), escape_text(where), escape_text(cohort.name)))
    return "".join(parts)


def _row_line(cells: list[str], *, cell_lines: bool = True, **row: str) -> str:
    """A row as the loops wrote it: on a line of its own, its cells each on a line within it
    (``cell_lines``) or run together."""
    content = "\n      " + "\n      ".join(cells) + "\n    " if cell_lines else "".join(cells)
    return f"\n    {row_html(mark_safe(content), **row)}\n    "  # noqa: S308 (the cells are markup, escaped) # nosec B308


def _row_html(cohort: Cohort, due_url: str) -> str:
    programme = cohort.programme
    cells = [
        cell_html(mark_safe(_COHORT.format(  # noqa: S308 (each text escaped) # nosec B308
            escape_text(url_with_pk("trainees:cohort_detail", cohort.pk, kwarg="pk")), escape_text(cohort.name),
            escape_text(programme.title), escape_text(programme.organisation.name),
        )), "Cohort"),
        cell_html(f"{date_filter(cohort.starts_on, 'M Y')} to {date_filter(cohort.ends_on, 'M Y')}", "Dates"),
        cell_html(str(int(cohort.in_training)), "In training"),
        cell_html(mark_safe(_due_html(cohort, due_url)), "Due"),  # noqa: S308 (texts escaped; numbers and fixed markup) # nosec B308
    ]
    return _row_line(cells, testid="lecturer-cohort")


@register.simple_tag
def taught_cohort_rows(cohorts: Iterable[Cohort]) -> SafeString:
    """A row for each cohort (with lecturer_teaching's figures): its name and programme, its
    dates, the trainees in training, and what is due in it."""
    due_url = reverse("dashboards:due")
    return mark_safe("".join(_row_html(cohort, due_url) for cohort in cohorts))  # noqa: S308 (rows built escaped) # nosec B308


@register.simple_tag
def programme_rows(programmes: Iterable[Programme]) -> SafeString:
    """A row for each programme of programmes_at_a_glance: its title (a link), its status, and
    how many cohorts and trainees it has."""
    return mark_safe("".join(  # noqa: S308 (rows built escaped) # nosec B308
        _row_line([
            cell_html(mark_safe('<a href="{}">{}</a>'.format(  # noqa: S308 (each text escaped) # nosec B308
                escape_text(url_with_pk("programmes:detail", programme.pk, kwarg="pk")), escape_text(programme.title),
            )), "Programme"),
            cell_html(status_tag(programme), "Status"),
            cell_html(str(int(programme.cohort_count)), "Cohorts", numeric=True),
            cell_html(str(int(programme.trainee_count)), "Trainees", numeric=True),
        ])
        for programme in programmes
    ))


@register.simple_tag
def people_rows(people_by_role: Iterable[tuple[str, int]]) -> SafeString:
    """A row for each role of people_count_by_role: its name and how many people have it."""
    return mark_safe("".join(  # noqa: S308 (rows built escaped) # nosec B308
        _row_line([cell_html(label, "Role"), cell_html(str(int(count)), "People", numeric=True)], cell_lines=False)
        for label, count in people_by_role
    ))
