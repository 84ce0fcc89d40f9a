"""The home pages' lists and table rows written in Python (dashboards/templatetags) write what
the template engine wrote before them, byte for byte, whatever the figures and texts (issue #15)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone
from django.utils.html import format_html

from core.status import StatusTag
from core.templatetags.components import status_tag
from dashboards.templatetags.due_items import due_items
from dashboards.templatetags.home_tables import people_rows, programme_rows, taught_cohort_rows
from programmes.due import DueItem

# The lecturer's table rows as the template wrote them before taught_cohort_rows.
FORMER_COHORT_ROWS = """{% load components %}
    {% for cohort in cohorts %}
    {% row testid="lecturer-cohort" %}
      {% cell "Cohort" %}<span><a href="{% url 'trainees:cohort_detail' pk=cohort.pk %}">{{ cohort.name }}</a><br><span class="nhsuk-body-s">{{ cohort.programme.title }}, {{ cohort.programme.organisation.name }}</span></span>{% endcell %}
      {% cell "Dates" %}{{ cohort.starts_on|date:"M Y" }} to {{ cohort.ends_on|date:"M Y" }}{% endcell %}
      {% cell "In training" %}{{ cohort.in_training }}{% endcell %}
      {% cell "Due" %}{% if cohort.reviews_due or cohort.contracts_to_sign %}<span>{% if cohort.reviews_due %}{{ cohort.reviews_due }} progress review{{ cohort.reviews_due|pluralize }} due{% if cohort.reviews_overdue %}, <strong>{{ cohort.reviews_overdue }} overdue</strong>{% endif %}{% if cohort.contracts_to_sign %}<br>{% endif %}{% endif %}{% if cohort.contracts_to_sign %}{{ cohort.contracts_to_sign }} learning contract{{ cohort.contracts_to_sign|pluralize }} to sign{% endif %}<br><a href="{% url 'dashboards:due' %}?cohort={{ cohort.programme.title|add:': '|add:cohort.name|urlencode }}">See what is due<span class="nhsuk-u-visually-hidden"> in {{ cohort.name }}</span></a></span>{% else %}Nothing due{% endif %}{% endcell %}
    {% endrow %}
    {% endfor %}
"""  # noqa: E501 (the template's lines as they were)


def _cohort(pk, name, *, reviews=0, overdue=0, contracts=0, in_training=0, title="Nursing associate"):
    organisation = SimpleNamespace(name="St <Elsewhere> & Partners")
    return SimpleNamespace(
        pk=pk, name=name, programme=SimpleNamespace(title=title, organisation=organisation),
        starts_on=date(2026, 1, 5), ends_on=date(2027, 9, 30), in_training=in_training,
        reviews_due=reviews, reviews_overdue=overdue, contracts_to_sign=contracts,
    )


COHORTS = [
    _cohort(1, "Nothing due"),
    _cohort(2, "One review", reviews=1, in_training=1),
    _cohort(3, "Reviews, some overdue", reviews=7, overdue=3, in_training=12),
    _cohort(4, "Contracts only", contracts=2, in_training=4),
    _cohort(5, "One contract", contracts=1),
    _cohort(6, "Both", reviews=2, overdue=1, contracts=1, in_training=9),
    _cohort(7, 'A "quoted" <name> & more / 50%', reviews=1, contracts=3, title="Care & <support>: year 1"),
]


@pytest.mark.parametrize("cohorts", [[], COHORTS[:1], COHORTS], ids=["none", "one", "every case"])
def test_the_lecturers_cohort_rows_are_the_former_templates(cohorts):
    former = engines["django"].from_string(FORMER_COHORT_ROWS).render({"cohorts": cohorts})
    assert former == "\n    " + taught_cohort_rows(cohorts) + "\n"


def _former_item_html(item: DueItem) -> str:
    """The due_items tag as it was: each part through format_html."""
    tag = item.status_tag
    return format_html(
        '\n<li>\n  <a href="{}">{}</a>\n  {}\n  {}\n</li>\n', item.url, item.title,
        status_tag(tag) if tag else "",
        format_html('<p class="nhsuk-body-s nhsuk-u-margin-bottom-0">{}</p>', item.detail) if item.detail else "",
    )


def test_the_due_items_are_written_as_format_html_wrote_them():
    today = timezone.localdate()
    items = [
        DueItem(title="Progress review with Ann <Lee>", url="/enrolments/1/", due=today - timedelta(days=3),
                detail="Overdue: reviews are due at least every 12 weeks. A & B: C", kind="review"),
        DueItem(title="Progress review with Bo", url="/enrolments/2/", due=today, detail="", kind="review"),
        DueItem(title="Assess “x” from Cy", url="/evidence/3/", due=today + timedelta(days=10),
                detail='Submitted "soon"', kind="evidence"),
        DueItem(title="Sign Di's learning contract", url="/enrolments/4/#contract", detail="1 of 4 have signed.",
                kind="contract"),
    ]
    assert due_items(items) == "".join(_former_item_html(item) for item in items)
    assert due_items([]) == ""


# The lead's and planner's programmes and people by role, as the templates wrote them before.
FORMER_PROGRAMME_ROWS = """{% load components %}
    {% for programme in programmes %}
    {% row %}
      {% cell "Programme" %}<a href="{% url 'programmes:detail' pk=programme.pk %}">{{ programme.title }}</a>{% endcell %}
      {% cell "Status" %}{% status_tag programme %}{% endcell %}
      {% cell "Cohorts" numeric=True %}{{ programme.cohort_count }}{% endcell %}
      {% cell "Trainees" numeric=True %}{{ programme.trainee_count }}{% endcell %}
    {% endrow %}
    {% endfor %}
"""  # noqa: E501 (the template's lines as they were)
FORMER_PEOPLE_ROWS = """{% load components %}
    {% for label, count in people_by_role %}
    {% row %}{% cell "Role" %}{{ label }}{% endcell %}{% cell "People" numeric=True %}{{ count }}{% endcell %}{% endrow %}
    {% endfor %}
"""  # noqa: E501 (the template's lines as they were)


def test_the_programme_and_people_rows_are_the_former_templates():
    programmes = [
        SimpleNamespace(pk=3, title="Care & <support> \"workers\"", status_tag=StatusTag("Active", "green"),
                        cohort_count=2, trainee_count=41),
        SimpleNamespace(pk=12, title="Nursing associate", status_tag=StatusTag("Planning", "grey"),
                        cohort_count=0, trainee_count=0),
    ]
    people = [("Training lead", 1), ("Line <manager> & co", 12), ("Trainee", 0)]
    engine = engines["django"]
    for rows in ([], programmes):
        former = engine.from_string(FORMER_PROGRAMME_ROWS).render({"programmes": rows})
        assert former == "\n    " + programme_rows(rows) + "\n"
    for rows in ([], people):
        former = engine.from_string(FORMER_PEOPLE_ROWS).render({"people_by_role": rows})
        assert former == "\n    " + people_rows(rows) + "\n"
