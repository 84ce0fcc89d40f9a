"""The acceptance check on the demo data: Westmoor's case study says what its first cohort
achieved, with every section in order and its charts; the cohort progress report and a
portfolio read right too."""

from __future__ import annotations

import re

import pytest
from django.db.models import Count, Sum

from evaluations.findings.selectors import compliance
from evaluations.models import AuditRound
from reports.documents.case_study import SECTIONS as CASE_STUDY_SECTIONS
from trainees.models import Enrolment

from ..reports.test_documents import flat, page_size, render

pytestmark = pytest.mark.django_db

# Every section after the cover's at-a-glance box, in order (the appendix's heading closes the contents).
SECTIONS = [s.title for s in CASE_STUDY_SECTIONS if s.key not in ("at-a-glance", "appendix")]


def test_the_demo_reports_tell_the_first_cohorts_story(demo, tmp_path):
    path, text = render(tmp_path, "case-study", "--programme", "inpatient-assistant-practitioner",
                        "--organisation", "westmoor")
    words = flat(text)
    assert "Cohort 1 had 7 trainees: all 7 completed;" in words
    assert "2 progressed to further training: Nursing degree" in words
    last_entry = "15. Appendix: competency attainment by cohort"  # the contents list ends here
    body = words[words.index(last_entry) + len(last_entry):]
    positions = [body.find(heading) for heading in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), dict(zip(SECTIONS, positions, strict=True))
    # The charts are drawn (as SVG, their labels are text in the PDF), in their sections.
    impact = body[body.find("Evaluation of the impact of the role"):body.find("Tips for others")]
    assert "Progressed to further training" in body[body.find("Results and next steps"):]
    for label in ("% (", "Start", "Mid-way", "Qualification", "Larch Ward", "Cohort 1: all competencies",
                  "Cohort 2: role-specific competencies"):
        assert label in impact, label
    assert "Competency attainment against target" in impact
    pages = re.search(r"Page (\d+) of (\d+)$", words)
    assert pages and pages.group(1) == pages.group(2) and 10 <= int(pages.group(2)) <= 15, words[-40:]
    # The study-time bars give whole hours, as the table beside them does.
    bars = re.findall(r"\d+% \(([\d.]+) of ([\d.]+) hours\)", impact)
    assert len(bars) == 2 and all("." not in n for pair in bars for n in pair), bars
    # The at-a-glance box: the headline audit change pooled from the rounds themselves.
    rounds = AuditRound.objects.filter(programme__title="Inpatient assistant practitioner").annotate(
        met=Sum("results__records_met"), criteria=Count("results"))
    pooled = {}
    for r in rounds:
        met, possible = pooled.get(r.stage_name, (0, 0))
        pooled[r.stage_name] = (met + r.met, possible + r.records_sampled * r.criteria)
    start, end = (compliance(*pooled[stage], 1) for stage in ("Start", "Qualification"))
    cover = words[:words.index("Contents")]
    assert (f"Physical healthcare assessment audit: {start}% of criteria met at start, {end}% at qualification"
            in cover), cover
    assert "About 35 months" in cover

    # (One test: it was one when each test loaded the demo, at about a minute each.)
    first = Enrolment.objects.filter(cohort__programme__title="Inpatient assistant practitioner",
                                     cohort__intake_number=1).order_by("trainee__last_name").first()
    path, text = render(tmp_path, "cohort-progress", "--cohort", str(first.cohort_id))
    width, height = page_size(path)
    assert width > height
    words = flat(text)
    assert words.count("Trainees at target") >= 2  # the matrix continues over tables
    assert "Begum, Aisha" in words and "26 of 26 competencies at target. Protected study time" in words
    path, text = render(tmp_path, "trainee-portfolio", "--enrolment", str(first.pk))
    words = flat(text)
    assert f"Portfolio: {first.trainee.full_name}" in words
    assert "26 of 26 role-profile competencies at or above the target level" in words
