"""The template components (core/templatetags/components.py): each page draws these parts the
same way, and a status tag's words and colour come from the model, not the template."""

from __future__ import annotations

import pathlib
import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone

from competencies.evidence.selectors import Attained
from competencies.models import Evidence, SelfAssessment
from competencies.profiles.selectors import Coverage
from core.csv_import import Problem
from core.status import COLOURS, StatusTag
from credentials.models import Credential
from delegation.models import Delegation
from evaluations.models import Interview, Stage
from people.models import Invitation
from programmes.models import Milestone, Partnership, Programme
from reports.models import ReportJob
from trainees.enrolment_import.models import EnrolmentImport
from trainees.models import Enrolment


def render(source: str, **context) -> str:
    return Template("{% load components %}" + source).render(Context(context))


# --- Status tags ---------------------------------------------------------------------------------

MODELS_WITH_A_STATUS = [
    (Programme, "status"),
    (Partnership, "status"),
    (Enrolment, "status"),
    (Evidence, "status"),
    (SelfAssessment, "status"),
    (Delegation, "status"),
    (Stage, "status"),
    (Interview, "status"),
    (ReportJob, "status"),
    (EnrolmentImport, "status"),
]


@pytest.mark.parametrize("model, field", MODELS_WITH_A_STATUS, ids=lambda m: getattr(m, "__name__", m))
def test_every_status_of_a_model_has_its_words_and_an_nhsuk_colour(model, field):
    for value, label in model._meta.get_field(field).choices:
        tag = model(**{field: value}).status_tag
        assert tag == StatusTag(label, tag.colour)
        assert tag.colour in COLOURS


def test_the_tag_is_drawn_from_the_model():
    enrolment = Enrolment(status=Enrolment.Status.WITHDRAWN)
    assert render("{% status_tag e %}", e=enrolment) == '<strong class="nhsuk-tag nhsuk-tag--red">Withdrawn</strong>'
    assert render('{% status_tag e testid="s" data_x="1" %}', e=Programme(status="planning")) == (
        '<strong class="nhsuk-tag nhsuk-tag--white" data-testid="s" data-x="1">Planning</strong>'
    )


def test_the_colours_stay_what_the_pages_showed():
    assert Programme(status="running").status_tag.colour == "blue"
    assert Enrolment(status="completed").status_tag.colour == "blue"
    assert Evidence(status="returned").status_tag.colour == "orange"
    assert Interview(status="cancelled").status_tag.colour == "grey"
    assert EnrolmentImport(status="previewed").status_tag.colour == "blue"
    assert Partnership(status="declined").status_tag.colour == "grey"


def test_a_label_is_escaped():
    assert render("{% status_tag t %}", t=StatusTag("<b>", "red")) == (
        '<strong class="nhsuk-tag nhsuk-tag--red">&lt;b&gt;</strong>'
    )


def test_a_milestone_is_late_done_or_upcoming_today():
    today = timezone.localdate()
    assert Milestone(due_on=today - timedelta(days=1)).status_tag == StatusTag("Late", "red")
    assert Milestone(due_on=today + timedelta(days=1)).status_tag == StatusTag("Upcoming", "blue")
    assert Milestone(due_on=date(2026, 1, 1), done_on=date(2026, 1, 3)).status_tag == StatusTag(
        "Done (2 days late)", "green"
    )
    assert Milestone(due_on=date(2026, 1, 2), done_on=date(2026, 1, 3)).status_tag.label == "Done (1 day late)"


def test_an_invitation_credential_attainment_and_coverage_say_their_status():
    now = timezone.now()
    assert Invitation(expires_at=now + timedelta(days=1)).status_tag == StatusTag("Pending", "blue")
    assert Invitation(expires_at=now - timedelta(days=1)).status_tag == StatusTag("Expired", "grey")
    assert Invitation(expires_at=now, withdrawn_at=now).status_tag == StatusTag("Withdrawn", "red")
    assert Credential(valid_from=now - timedelta(days=1), revoked_at=now).status_tag == StatusTag("Revoked", "red")
    assert Credential(valid_from=now + timedelta(days=1)).status_tag == StatusTag("Not yet valid", "grey")
    assert Credential.tag_for_status("unverifiable") == StatusTag("Cannot be verified", "red")
    assert Attained(level=1, signed_off_on=None, status="expiring").status_tag == StatusTag("Expiring", "yellow")
    assert Coverage.GAP.status_tag == StatusTag("Gap: no course, no national standard", "red")


# --- Back link, problems, data table, summary list -------------------------------------------------


def test_a_back_link_carries_its_words_or_says_back():
    assert render('{% back_link "/p/"|add:"#m" %}Back to {{ t }}{% endback_link %}', t="A & B") == (
        '<a class="nhsuk-back-link" href="/p/#m">Back to A &amp; B</a>'
    )
    assert (
        render("{% back_link url %}{% endback_link %}", url="/x/") == '<a class="nhsuk-back-link" href="/x/">Back</a>'
    )


def test_the_problems_table_takes_every_importers_shape():
    page = render(
        "{% problems_table problems %}",
        problems=[Problem(None, "the file is empty."), (3, "Bad date"), (4, ["One", "two"])],
    )
    rows = re.findall(r'<tr class="nhsuk-table__row" data-testid="import-problem" role="row">(.*?)</tr>', page, re.S)
    assert len(rows) == 3
    assert "Whole file" in rows[0] and "The file is empty." in rows[0]  # capitalised
    assert '<span class="nhsuk-table__heading" aria-hidden="true">Line </span>3</td>' in rows[1]
    assert "<li>One</li><li>Two</li>" in rows[2]
    assert 'id="problems" data-testid="import-problems"' in page
    assert '<caption class="nhsuk-table__caption nhsuk-table__caption--m">Problems in the file</caption>' in page


def test_a_data_table_repeats_each_heading_in_its_cells_for_phones():
    page = render(
        '{% data_table headers="Name|Hours" numeric="Hours" actions="Actions" testid="t" %}'
        '{% caption size="m" %}People in {{ org }}{% endcaption %}'
        '{% for p in people %}{% row testid="r" data_id=p %}{% cell "Name" %}{{ p }}{% endcell %}'
        '{% cell "Hours" numeric=True %}3{% endcell %}{% action_cell %}<a href="#">Change</a>{% endaction_cell %}'
        "{% endrow %}{% endfor %}{% enddata_table %}",
        org="Ward <1>",
        people=["Ann", "Bo"],
    )
    assert page.startswith('<table class="nhsuk-table nhsuk-table--responsive" data-testid="t" role="table">')
    assert '<caption class="nhsuk-table__caption nhsuk-table__caption--m">People in Ward &lt;1&gt;</caption>' in page
    assert (
        '<th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col" role="columnheader">Hours</th>'
        in page
    )
    assert '<span class="nhsuk-u-visually-hidden">Actions</span></th>' in page
    assert page.count('data-testid="r"') == 2 and 'data-id="Bo"' in page
    assert '<span class="nhsuk-table__heading" aria-hidden="true">Name </span>Ann</td>' in page
    assert 'class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell"' in page
    assert '<td class="nhsuk-table__cell" role="cell"><a href="#">Change</a></td>' in page


def test_a_cross_tab_has_a_column_per_label_and_a_heading_per_row():
    page = render(
        '{% data_table headers="Ward" %}'
        "{% for p in periods %}{% header numeric=True %}{{ p }}{% endheader %}{% endfor %}"
        '{% header classes="nhsuk-u-width-one-half" %}Notes{% endheader %}'
        '{% row %}{% row_header "Ward" testid="w" %}{{ ward }}{% endrow_header %}'
        "{% for period, value in values|with_headings:periods %}"
        "{% cell period numeric=True %}{{ value }}{% endcell %}{% endfor %}"
        '{% cell "Notes" colspan=2 %}None{% endcell %}{% endrow %}{% enddata_table %}',
        periods=["Q1 <2026>", "Q2"],
        values=["50%", "–"],
        ward="Ash & Elm",
    )
    heads = re.findall(r"<th [^>]*scope=\"col\"[^>]*>(.*?)</th>", page)
    assert heads == ["Ward", "Q1 &lt;2026&gt;", "Q2", "Notes"]  # in the order written, escaped
    assert (
        '<th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col" role="columnheader">Q2</th>' in page
    )
    assert '<th class="nhsuk-table__header nhsuk-u-width-one-half" scope="col" role="columnheader">Notes</th>' in page
    assert page.index("Notes</th>") < page.index("</thead>")  # the headings are not left among the rows
    assert (
        '<th class="nhsuk-table__header" data-testid="w" scope="row" role="rowheader">'
        '<span class="nhsuk-table__heading" aria-hidden="true">Ward </span>Ash &amp; Elm</th>'
    ) in page
    assert '<span class="nhsuk-table__heading" aria-hidden="true">Q1 &lt;2026&gt; </span>50%</td>' in page
    assert '<span class="nhsuk-table__heading" aria-hidden="true">Q2 </span>–</td>' in page
    assert '<td class="nhsuk-table__cell" colspan="2" role="cell">' in page


def test_a_header_outside_a_data_table_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render("{% header %}Lost{% endheader %}")


def test_a_caption_given_as_words_is_hidden_unless_sized():
    hidden = render('{% data_table headers="A" caption="Things" %}{% enddata_table %}')
    assert '<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Things</caption>' in hidden
    plain = render('{% data_table headers="A" caption="Things" caption_size="plain" %}{% enddata_table %}')
    assert '<caption class="nhsuk-table__caption">Things</caption>' in plain


def test_a_cell_refuses_an_attribute_it_does_not_know():
    with pytest.raises(TemplateSyntaxError):
        render('{% cell "A" onclick="x" %}{% endcell %}')


def test_a_summary_list_pairs_labels_and_values():
    page = render(
        '{% summary_list testid="facts" %}{% summary_row "Due" testid="due" %}{{ d }}{% endsummary_row %}'
        "{% endsummary_list %}",
        d="1 May",
    )
    assert page == (
        '<dl class="nhsuk-summary-list" data-testid="facts">\n<div class="nhsuk-summary-list__row">\n'
        '  <dt class="nhsuk-summary-list__key">Due</dt>\n'
        '  <dd class="nhsuk-summary-list__value" data-testid="due">1 May</dd>\n</div>\n</dl>'
    )


# --- What is left in the templates ----------------------------------------------------------------

TEMPLATES = pathlib.Path(settings.BASE_DIR) / "templates"


def test_no_template_writes_a_back_link_or_compares_a_role_by_hand():
    back_links, role_checks = [], []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if 'class="nhsuk-back-link"' in text:
            back_links.append(str(path.relative_to(TEMPLATES)))
        if re.search(r"membership\.role\s*([!=]=|in\b)", text):
            role_checks.append(str(path.relative_to(TEMPLATES)))
    assert back_links == []
    assert role_checks == []


# The web templates that still write a <table> by hand, and why. The print layouts are HTML made
# into PDF (WeasyPrint) or Word, styled by the report stylesheets, not NHS.UK's responsive table.
_CASE_STUDY = "print layout: the case study's PDF and Word file (written from these tables), previewed as the same HTML"
HAND_WRITTEN_TABLES = {
    "competencies/evidence/cohort_matrix.html": "the progress matrix: performance-tuned, a grid that scrolls sideways",
    "trainees/study_week.html": "a grid of inputs that scrolls sideways on a phone; a data table would stack it",
    "privacy/record_pdf.html": "print layout: the subject-access PDF",
    "reports/cohort_progress.html": "print layout: the cohort progress PDF",
    "reports/portfolio.html": "print layout: the portfolio PDF",
    "reports/_section_findings.html": _CASE_STUDY,
    "reports/_section_impact.html": _CASE_STUDY,
    "reports/_section_role_profile.html": _CASE_STUDY,
    "reports/case_study/appendix.html": _CASE_STUDY,
    "reports/case_study/costs.html": _CASE_STUDY,
    "reports/case_study/how.html": _CASE_STUDY,
    "reports/case_study/impact.html": _CASE_STUDY,
    "reports/case_study/results.html": _CASE_STUDY,
}


def test_no_web_template_writes_a_table_by_hand():
    """Tables go through {% data_table %} (or {% problems_table %}/{% columns_table %}); a table
    left hand-written is named above with its reason, and the list is kept to what is left."""
    hand_written = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"<table\b", path.read_text(), re.IGNORECASE)
    }
    assert hand_written - HAND_WRITTEN_TABLES.keys() == set(), "use {% data_table %}, or say here why not"
    assert HAND_WRITTEN_TABLES.keys() - hand_written == set(), "no longer hand-written: take it off the list"


def test_htmx_is_loaded_once_by_the_base_layout_and_polling_goes_through_the_poll_tag():
    loaders = [p for p in TEMPLATES.rglob("*.html") if "htmx.min.js" in p.read_text()]
    assert [p.name for p in loaders] == ["base.html"]
    hand_polled = [p.name for p in TEMPLATES.rglob("*.html") if "hx-trigger" in p.read_text()]
    assert hand_polled == []
