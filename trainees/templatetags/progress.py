"""A progress row's study-time and review cells, as tags rather than included templates: the
cohort page has two a row, and an include costs more than the cell's own work (issue 15)."""

from django import template
from django.template.defaultfilters import date, floatformat
from django.utils.html import format_html

from ..selectors import STUDY_TIME_WARNING, Progress

register = template.Library()

_RED_TAG = '<strong class="nhsuk-tag nhsuk-tag--red">{}</strong>'


@register.simple_tag
def study_cell(progress: Progress) -> str:
    """Study time taken against plan to date, flagged when below STUDY_TIME_WARNING."""
    study = progress.study
    if not progress.started:
        return "Not started yet"
    if not study.planned:
        return format_html("{} hours (none planned yet)", floatformat(study.taken, -1))
    flag = format_html(" " + _RED_TAG, f"Below {int(STUDY_TIME_WARNING * 100)}%") if progress.below_plan else ""
    return format_html(
        "{} of {} hours ({}%){}", floatformat(study.taken, -1), floatformat(study.planned, -1), study.percent, flag
    )


@register.simple_tag
def review_cell(progress: Progress) -> str:
    """The next progress review, flagged when overdue; a dash when none is due."""
    if not progress.review_due:
        return "–"
    flag = format_html(" " + _RED_TAG, "Overdue") if progress.review_overdue else ""
    return format_html("{}{}", date(progress.review_due, "j M Y"), flag)
