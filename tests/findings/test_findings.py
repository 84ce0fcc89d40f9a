"""The findings pages and findings_for: counts per theme (interviews mentioning it), consented
quotes only, trainees and managers apart, and the change from start to qualification."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.findings.selectors import findings_for
from evaluations.models import Interview, Subject
from programmes import services as programme_services
from programmes.models import Role

from ..programmes.helpers import Page
from . import factories as f

SECRET = "My ward manager never lets me take my study day"  # said without consent to quote


@pytest.fixture
def story(world):
    """Start: three trainees (two consent to quotes) and two managers; Qualification: two
    trainees. Coded as in account 003."""
    trainee_tool = f.instrument(world.organisation)
    manager_tool = f.instrument(world.organisation, family="manager-interview", subject=Subject.MANAGER,
                                questions=f.MANAGER_QUESTIONS)
    start = f.stage(world.cohort, name="Start", order=1)
    qualification = f.stage(world.cohort, name="Qualification", order=3,
                            opens_on=date(2027, 11, 1), due_on=date(2027, 12, 1))
    ann, bob, cat = (f.enrolment(world, first_name=n) for n in ("Ann", "Bob", "Cat"))
    s = {}
    s["ann"] = f.interview(start, trainee_tool, enrolment=ann, consent=True, answers={
        "why_applied": "Job satisfaction, and a stepping stone into nurse training.",
        "experience": "Some of us take a pay cut to do this."})
    s["bob"] = f.interview(start, trainee_tool, enrolment=bob, consent=True, answers={
        "why_applied": "I want to become a nurse one day."})
    s["cat"] = f.interview(start, trainee_tool, enrolment=cat, consent=False, answers={
        "why_applied": f"{SECRET}, but I love the job."})
    # A draft interview never counts.
    f.interview(start, trainee_tool, enrolment=world.enrolment, status=Interview.Status.DRAFT,
                answers={"why_applied": "Half written"})
    s["m1"] = f.interview(start, manager_tool, manager=world.person(Role.MANAGER), consent=True, answers={
        "expectations": "It will support the registered nurses on the ward."})
    s["m2"] = f.interview(start, manager_tool, manager=f.manager(world), consent=False, answers={
        "expectations": "Covering protected learning time will be hard."})
    s["ann_q"] = f.interview(qualification, trainee_tool, enrolment=ann, consent=True, answers={
        "why_applied": "Two of us are going on to the nursing degree."})
    s["bob_q"] = f.interview(qualification, trainee_tool, enrolment=bob, consent=True, answers={
        "why_applied": "Much more job satisfaction now."})

    f.code(s["ann"], "why_applied", "Job satisfaction", excerpt="Job satisfaction")
    f.code(s["ann"], "why_applied", "Career progression", excerpt="a stepping stone into nurse training", quote=True)
    f.code(s["ann"], "experience", "Remuneration", excerpt="take a pay cut", quote=True)
    f.code(s["bob"], "why_applied", "Career progression")
    f.code(s["cat"], "why_applied", "Protected study time", excerpt=SECRET)
    f.code(s["cat"], "why_applied", "Job satisfaction", excerpt="I love the job")
    f.code(s["m1"], "expectations", "Supporting registered staff", excerpt="support the registered nurses", quote=True)
    f.code(s["m2"], "expectations", "Protected study time")
    f.code(s["ann_q"], "why_applied", "Career progression", quote=True)
    f.code(s["bob_q"], "why_applied", "Job satisfaction", excerpt="Much more job satisfaction now", quote=True)
    s.update(start=start, qualification=qualification)
    return s


def _counts(part) -> dict[str, int]:
    return {t.name: t.interviews for t in part.mentioned}


def test_counts_are_interviews_mentioning_each_theme_split_by_subject(world, story):
    findings = findings_for(cohort=world.cohort)
    assert findings.trainee.interviews == 5 and findings.manager.interviews == 2
    assert _counts(findings.trainee) == {
        "Career progression": 3, "Job satisfaction": 3, "Protected study time": 1, "Remuneration": 1,
    }
    assert _counts(findings.manager) == {"Protected study time": 1, "Supporting registered staff": 1}
    start = findings.stages[0]
    assert [s.name for s in findings.stages] == ["Start", "Qualification"]
    assert _counts(start.trainee) == {
        "Career progression": 2, "Job satisfaction": 2, "Protected study time": 1, "Remuneration": 1,
    }
    assert start.trainee.interviews == 3


def test_an_interview_coding_two_answers_with_one_theme_counts_once(world, story):
    f.code(story["ann"], "experience", "Job satisfaction")
    assert _counts(findings_for(stage=story["start"]).trainee)["Job satisfaction"] == 2


def test_only_consented_quotes_are_shown(world, story):
    findings = findings_for(cohort=world.cohort)
    assert [(q.text, q.attribution) for q in findings.trainee.quotes] == [
        ("a stepping stone into nurse training", "Trainee, Start"),
        ("Two of us are going on to the nursing degree.", "Trainee, Qualification"),  # the whole answer
        ("Much more job satisfaction now", "Trainee, Qualification"),
        ("take a pay cut", "Trainee, Start"),
    ]
    assert [q.text for q in findings.manager.quotes] == ["support the registered nurses"]


def test_a_withdrawn_consent_hides_quotes_already_chosen(world, story):
    Interview.objects.filter(pk=story["ann"].pk).update(consent_to_quote=False)
    texts = [q.text for q in findings_for(cohort=world.cohort).trainee.quotes]
    assert "take a pay cut" not in texts and "a stepping stone into nurse training" not in texts


def test_the_change_from_start_to_qualification(world, story):
    change = findings_for(cohort=world.cohort).change(Subject.TRAINEE)
    assert change.stages == ["Start", "Qualification"]
    assert change.interviews == [3, 2]
    assert {row.theme: row.labels for row in change.rows} == {
        "Career progression": ["2 of 3", "1 of 2"],
        "Job satisfaction": ["2 of 3", "1 of 2"],
        "Protected study time": ["1 of 3", "0 of 2"],
        "Remuneration": ["1 of 3", "0 of 2"],
    }
    chart = change.chart()
    assert chart.startswith("<svg") and "Qualification" in chart and "style=" not in chart


def test_a_programme_takes_stages_of_the_same_name_together(world, story):
    cohort2 = programme_services.cohort_create(
        programme=world.programme, name="Cohort 2", starts_on=date(2027, 1, 4), ends_on=date(2028, 12, 1),
    )
    start2 = f.stage(cohort2, name="start", order=1, opens_on=date(2027, 1, 11), due_on=date(2027, 2, 12))
    trainee_tool = story["ann"].instrument
    from trainees import services as trainee_services
    dee = trainee_services.trainee_create(organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD),
                                          first_name="Dee", last_name="Two", employee_number="E9999")
    enrolment = trainee_services.enrolment_create(trainee=dee, cohort=cohort2, actor=world.person(Role.TRAINING_LEAD),
                                                  enrolled_on=date(2027, 1, 4), status="active")
    dees = f.interview(start2, trainee_tool, enrolment=enrolment, answers={"why_applied": "For the pay."})
    f.code(dees, "why_applied", "Remuneration")

    findings = findings_for(programme=world.programme)
    assert [(s.name, s.trainee.interviews) for s in findings.stages] == [("Start", 4), ("Qualification", 2)]
    assert _counts(findings.stages[0].trainee)["Remuneration"] == 2


def test_the_cohort_page_shows_trainees_and_managers_apart_and_never_an_unconsented_quote(client_as, world, story):
    response = client_as(Role.TRAINING_LEAD).get(
        reverse("findings:cohort_findings", kwargs={"cohort_pk": world.cohort.pk})
    )
    assert response.status_code == 200
    page = Page(response)
    trainees = page.all(data_testid="trainee-findings")[0]
    managers = page.all(data_testid="manager-findings")[0]
    assert "Supporting registered staff" not in trainees.text()
    assert "Supporting registered staff Interviews mentioning it 1 of 2" in managers.text()
    assert "Career progression Interviews mentioning it 3 of 5" in trainees.text()
    quotes = [n.text() for n in page.all(data_testid="quote")]
    assert "Quote about remuneration: “take a pay cut” Trainee, Start" in quotes
    assert "Quote about supporting registered staff: “support the registered nurses” Manager, Start" in quotes
    assert len(quotes) == 5
    html = response.content.decode()
    assert SECRET not in html and "Covering protected learning time" not in html
    # The names of the people interviewed are not on the findings page.
    assert "Ann" not in html
    table = page.all(data_testid="trainee-change-table")[0]
    rows = {r.text() for r in table.iter() if r.attrs.get("data-testid") == "change-row"}
    # Each cell carries its column's heading for the phone layout: the theme, then each stage.
    assert rows == {"Theme Career progression Start 2 of 3 Qualification 1 of 2",
                    "Theme Job satisfaction Start 2 of 3 Qualification 1 of 2",
                    "Theme Protected study time Start 1 of 3 Qualification 0 of 2",
                    "Theme Remuneration Start 1 of 3 Qualification 0 of 2"}
    assert page.has(data_testid="trainee-chart") and "<svg" in html
    # Export links for each instrument used.
    exports = page.all(data_testid="exports")[0].text()
    assert "Trainee interview (CSV)" in exports and "Manager interview (CSV)" in exports


def test_the_stage_page_shows_that_stage_only(client_as, world, story):
    url = reverse("findings:stage_findings", kwargs={"stage_pk": story["qualification"].pk})
    page = Page(client_as(Role.PLANNER).get(url))
    assert page.text(data_testid="trainee-interviews") == "2 completed interviews."
    assert page.text(data_testid="manager-interviews") == "No completed interviews yet."
    assert [n.text() for n in page.all(data_testid="theme-count")] == [
        "Theme Career progression Interviews mentioning it 1 of 2",
        "Theme Job satisfaction Interviews mentioning it 1 of 2",
    ]


def _grow(world, story, n):
    """n more trainees at the start, each with a coded, quotable answer."""
    tool = story["ann"].instrument
    for _ in range(n):
        interview = f.interview(story["start"], tool, enrolment=f.enrolment(world), consent=True,
                                answers={"why_applied": "For the job satisfaction.", "experience": "Busy."})
        f.code(interview, "why_applied", "Job satisfaction", excerpt="job satisfaction", quote=True)
        f.code(interview, "experience", "Staffing balance")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Every signed-in request: session, user, memberships: 3 (the session is saved only when its
# refresh is due: core.sessions). Then the cohort or stage (1) and findings_for: stages, themes,
# and the interviews held with the theme counts and the quotes in one (3; 2 for one stage, which
# needs no stage query). The cohort page adds the instrument families to export (1): 8 in all;
# the stage page 6.
@pytest.mark.parametrize(("name", "kwargs", "expected"), [
    ("findings:cohort_findings", lambda world, story: {"cohort_pk": world.cohort.pk}, 8),
    ("findings:stage_findings", lambda world, story: {"stage_pk": story["start"].pk}, 6),
])
def test_findings_pages_keep_a_constant_number_of_queries(client_as, world, story, name, kwargs, expected):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse(name, kwargs=kwargs(world, story))
    _grow(world, story, 2)
    client.get(url)  # the first request after signing in also saves the session (core.sessions)
    small = _queries(client, url)
    _grow(world, story, 12)
    large = _queries(client, url)
    assert small == large == expected


def test_the_coding_page_keeps_a_constant_number_of_queries(client_as, world, story):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("findings:coding", kwargs={"stage_pk": story["start"].pk})
    _grow(world, story, 2)
    client.get(url)  # the first request after signing in also saves the session
    small = _queries(client, url)
    _grow(world, story, 12)
    # The request's 3 (see above); the stage, the themes, the answers with their interviews,
    # questions and people, and their codings: 7.
    assert small == _queries(client, url) == 7
