"""A progress row's study-time and review cells, as tags rather than included templates: the
cohort page has two a row, and an include costs more than the cell's own work (issue 15). The
cohort page's whole rows and below-plan names too, for the same reason."""

from django import template
from django.template.defaultfilters import date, floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.templatetags.components import cell_html, row_html, status_tag

from ..selectors import STUDY_TIME_WARNING, BelowPlan, Progress

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


@register.simple_tag
def progress_row(progress: Progress, party_count: int) -> str:
    """A row of the cohort page's trainees: name (linked), ward, status, study time, next
    review, contract signatures. Built with the table components' own functions rather than
    {% row %} and {% cell %} tags: 25 rows took the template engine 6 ms."""
    enrolment = progress.enrolment
    trainee, signed = enrolment.trainee, progress.signature_count
    if signed == party_count:
        contract = format_html('<strong class="nhsuk-tag nhsuk-tag--green">Signed {}/{}</strong>', signed, party_count)
    else:
        contract = f"{signed}/{party_count} signed"
    cells = (
        cell_html(_enrolment_link(enrolment, trainee.full_name), "Trainee"),
        cell_html((trainee.clinical_area.name if trainee.clinical_area else "") or "\u2013", "Ward"),
        cell_html(status_tag(enrolment), "Status"),
        cell_html(study_cell(progress), "Study time to date"),
        cell_html(review_cell(progress), "Next review"),
        cell_html(contract, "Contract"),
    )
    return row_html(mark_safe("".join(cells)))  # noqa: S308 (each cell escaped by cell_html) # nosec B308


@register.simple_tag
def below_plan_item(below: BelowPlan) -> str:
    """A name in the cohort page's below-plan card: "Name: 3 of 10 hours (30%), Ward"."""
    enrolment, study = below
    trainee = enrolment.trainee
    ward = format_html(", {}", trainee.clinical_area.name) if trainee.clinical_area else ""
    return format_html(
        "<li>{}: {} of {} hours ({}%){}</li>",
        _enrolment_link(enrolment, trainee.full_name, "#study-time"),
        floatformat(study.taken, -1), floatformat(study.planned, -1), study.percent, ward,
    )


def _enrolment_link(enrolment, words: str, fragment: str = "") -> str:
    url = reverse("trainees:enrolment_detail", args=[enrolment.pk]) + fragment
    return format_html('<a href="{}">{}</a>', url, words)
