"""The study-time and review cells of the progress tables (cohort page, my trainees, a trainee's
record): what each says in each state, escaped, rendered by the tags the templates load."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template

from trainees.templatetags.progress import review_cell, study_cell


def _progress(*, started=True, taken="3.5", planned="10", percent=35, below=True, due=None, overdue=False):
    study = SimpleNamespace(taken=Decimal(taken), planned=Decimal(planned), percent=percent)
    return SimpleNamespace(started=started, study=study, below_plan=below, review_due=due, review_overdue=overdue)


def test_study_cell_says_taken_of_planned_and_flags_below_plan():
    assert study_cell(_progress()) == (
        '3.5 of 10 hours (35%) <strong class="nhsuk-tag nhsuk-tag--red">Below 80%</strong>'
    )
    assert study_cell(_progress(taken="9", percent=90, below=False)) == "9 of 10 hours (90%)"


def test_study_cell_before_the_start_and_with_nothing_planned():
    assert study_cell(_progress(started=False)) == "Not started yet"
    assert study_cell(_progress(taken="2", planned="0")) == "2 hours (none planned yet)"


def test_review_cell_dates_the_next_review_and_flags_it_overdue():
    assert review_cell(_progress(due=date(2026, 3, 4))) == "4 Mar 2026"
    assert review_cell(_progress(due=date(2026, 3, 4), overdue=True)) == (
        '4 Mar 2026 <strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>'
    )
    assert review_cell(_progress(due=None)) == "–"


def test_the_templates_load_the_tags():
    html = Template("{% load progress %}{% study_cell p %}|{% review_cell p %}").render(
        Context({"p": _progress(started=False)})
    )
    assert html == "Not started yet|–"
