"""A progress row's study-time and review cells, as tags rather than included templates: the
cohort page has two a row, and an include costs more than the cell's own work (issue 15). The
cohort page's whole rows and below-plan names too, for the same reason: each written by one
tag for the whole list (progress_rows, below_plan_items), which the template only places.

The figures are still written by Django's own filters (floatformat, date) and the status by
the status_tag component, but each distinct value once per language: a page repeats a few
dozen of them, and localising each afresh took longer than the rest of the rows. The rows'
markup is joined from escaped parts rather than through format_html, and the links reversed
once (core.links)."""

from collections.abc import Iterable
from functools import lru_cache
from html import escape

from django import template
from django.template.defaultfilters import date, floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.links import urls_with_pk
from core.templatetags.components import cell_html, cell_start_html, row_around_html, status_tag

from ..selectors import STUDY_TIME_WARNING, BelowPlan, Progress

register = template.Library()

_RED_TAG = '<strong class="nhsuk-tag nhsuk-tag--red">{}</strong>'
_BELOW_FLAG = " " + _RED_TAG.format(f"Below {int(STUDY_TIME_WARNING * 100)}%")
_OVERDUE_FLAG = " " + _RED_TAG.format("Overdue")


def _once_per_language(write):
    """``write(value)``, remembered for each value and language: what its text depends on
    while the process runs (the formatting settings are read once, at start-up). The
    language may be given by a caller that writes many values (get_language() costs more
    than a value remembered)."""
    remembered = lru_cache(maxsize=1024)(lambda value, language: write(value))

    def written(value, language: str | None = None) -> str:
        return remembered(value, language or get_language())

    return written


# floatformat(value, -1): hours with their tenth when they have one ("7.5", "15").
_hours = _once_per_language(lambda value: floatformat(value, -1))
_day = _once_per_language(lambda day: date(day, "j M Y"))  # 6 Dec 2026
# The status tag depends on the status alone (its words and colour).
_status = _once_per_language(lambda tag: status_tag(tag))


@register.simple_tag
def study_cell(progress: Progress, language: str | None = None) -> str:
    """Study time taken against plan to date, flagged when below STUDY_TIME_WARNING."""
    study = progress.study
    if not progress.started:
        return "Not started yet"
    if not study.planned:
        return mark_safe(f"{_hours(study.taken, language)} hours (none planned yet)")  # noqa: S308 (a number) # nosec B308
    flag = _BELOW_FLAG if progress.below_plan else ""
    return mark_safe(  # noqa: S308 (numbers and fixed markup) # nosec B308
        f"{_hours(study.taken, language)} of {_hours(study.planned, language)} hours ({int(study.percent)}%){flag}"
    )


@register.simple_tag
def review_cell(progress: Progress, language: str | None = None) -> str:
    """The next progress review, flagged when overdue; a dash when none is due."""
    if not progress.review_due:
        return "–"
    flag = _OVERDUE_FLAG if progress.review_overdue else ""
    return mark_safe(f"{escape(_day(progress.review_due, language))}{flag}")  # noqa: S308 (escaped, and fixed markup) # nosec B308


# The cohort page's columns, as its data_table's headers name them.
_COLUMNS = ("Trainee", "Ward", "Status", "Study time to date", "Next review", "Contract")


@register.simple_tag
def progress_rows(rows: Iterable[Progress], party_count: int) -> list[str]:
    """{% progress_rows rows party_count as rows_html %}: the markup of each row of the cohort
    page's trainees: name (linked), ward, status, study time, next review, contract
    signatures; the same as {% row %} and {% cell %} write (their own functions write it).
    All the rows in one tag rather than the components' tags or a tag a row: the template
    engine took 6 ms over 25 rows, a tag a row 1.2 ms. A page repeats a few statuses,
    figures, dates and signature counts: each of those cells is written once a table; the
    name, its link and the ward are escaped for each row."""
    party_count, language = int(party_count), get_language()
    enrolment_url = urls_with_pk("trainees:enrolment_detail")
    trainee_cell, ward_cell, status_cell, study_column, review_column, contract_column = (
        cell_start_html("nhsuk-table__cell", heading) for heading in _COLUMNS
    )
    row_start, row_end = row_around_html()
    written: dict[tuple, str] = {}  # a repeated cell's markup, by its column and what it shows
    html = []
    for progress in rows:
        enrolment = progress.enrolment
        trainee = enrolment.trainee
        ward = trainee.clinical_area.name if trainee.clinical_area else ""
        keys = (
            ("ward", ward),
            ("status", enrolment.status),  # the tag depends on the status alone
            ("study", progress.started, progress.study.planned, progress.study.taken, progress.below_plan),
            ("review", progress.review_due, progress.review_overdue),
            ("contract", int(progress.signature_count)),
        )
        cells = [f"{trainee_cell}{_enrolment_link(enrolment_url(enrolment.pk), trainee.full_name)}</td>"]
        for key in keys:
            cell = written.get(key)
            if cell is None:
                cell = written[key] = _repeated_cell(key[0], progress, party_count, language)
            cells.append(cell)
        # SafeString rather than mark_safe (which checks its argument for a lazy string): the
        # same safe text, once a row.
        html.append(SafeString(f'{row_start}{"".join(cells)}{row_end}'))  # each cell escaped as cell_html escapes
    return html


def _repeated_cell(column: str, progress: Progress, party_count: int, language: str) -> str:
    enrolment = progress.enrolment
    if column == "ward":
        trainee = enrolment.trainee
        return cell_html((trainee.clinical_area.name if trainee.clinical_area else "") or "\u2013", "Ward")
    if column == "status":
        return cell_html(_status(enrolment.status_tag, language), "Status")
    if column == "study":
        return cell_html(study_cell(progress, language), "Study time to date")
    if column == "review":
        return cell_html(review_cell(progress, language), "Next review")
    signed = int(progress.signature_count)
    if signed == party_count:
        contract = mark_safe(f'<strong class="nhsuk-tag nhsuk-tag--green">Signed {signed}/{party_count}</strong>')  # noqa: S308 (numbers) # nosec B308
    else:
        contract = f"{signed}/{party_count} signed"
    return cell_html(contract, "Contract")


@register.simple_tag
def below_plan_items(below_plan: Iterable[BelowPlan]) -> list[str]:
    """{% below_plan_items below_plan as items %}: the markup of each name in the cohort page's
    below-plan card, "Name: 3 of 10 hours (30%), Ward" (a list item), written in one tag for
    the same reason as progress_rows."""
    language, enrolment_url = get_language(), urls_with_pk("trainees:enrolment_detail")
    items = []
    for enrolment, study in below_plan:
        trainee = enrolment.trainee
        ward = f", {escape(trainee.clinical_area.name)}" if trainee.clinical_area else ""
        items.append(SafeString(  # the link and ward escaped, numbers
            f"<li>{_enrolment_link(enrolment_url(enrolment.pk) + '#study-time', trainee.full_name)}: "
            f"{_hours(study.taken, language)} of {_hours(study.planned, language)} hours "
            f"({int(study.percent)}%){ward}</li>"
        ))
    return items


def _enrolment_link(url: str, words: str) -> str:
    """A link's markup, both escaped: a part of a row's, which is marked safe whole."""
    return f'<a href="{escape(url)}">{escape(words)}</a>'
