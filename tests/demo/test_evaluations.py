"""The evaluation demo data (evaluations/demo.py), loaded by seed_demo: Westmoor's first cohort
interviewed at every stage and coded, its audits and satisfaction results, and Highmoor's pilot
with interviews due. The demo as loaded (tests/demo/conftest.py), then seeded again: nothing
changes."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from evaluations.findings.selectors import audit_summary, findings_for, satisfaction_summary
from evaluations.interviews.due import due_for
from evaluations.models import (
    Answer,
    AuditResult,
    AuditRound,
    Coding,
    Interview,
    SatisfactionResult,
    Stage,
    Subject,
    Theme,
)
from programmes.models import Cohort, Membership

MODELS = (Stage, Interview, Answer, Theme, Coding, AuditRound, AuditResult, SatisfactionResult)
STAGES = ["Start", "Mid-way", "Qualification"]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    types = [ContentType.objects.get_for_model(model) for model in MODELS]
    counts["LogEntry"] = LogEntry.objects.filter(content_type__in=types).count()
    return counts


def _cohort(slug: str) -> Cohort:
    return Cohort.objects.select_related("programme").get(
        programme__organisation__slug=slug, intake_number=1
    )


def test_the_demo_tells_the_evaluation_story_and_seeding_twice_changes_nothing(demo):
    first = _counts()
    today = timezone.localdate()

    # Westmoor cohort 1: every trainee and their manager interviewed at every stage.
    cohort = _cohort("westmoor")
    stages = list(cohort.evaluation_stages.order_by("order"))
    assert [s.name for s in stages] == STAGES
    for stage in stages:
        done = stage.interviews.filter(status=Interview.Status.DONE)
        assert done.filter(subject=Subject.TRAINEE).count() == 7, stage.name
        assert done.filter(subject=Subject.MANAGER).count() == 1, stage.name
        assert not stage.interviews.exclude(status=Interview.Status.DONE).exists()
        for held_on in done.values_list("held_on", flat=True):
            assert stage.opens_on <= held_on <= min(stage.due_on, today)
    # Quotes come only from people who consented, and most (not all) did.
    trainee_consents = Interview.objects.filter(stage__cohort=cohort, subject=Subject.TRAINEE)
    assert 0 < trainee_consents.filter(consent_to_quote=False).count() < trainee_consents.count()
    unconsented = Coding.objects.filter(is_quote=True, answer__interview__consent_to_quote=False)
    assert not unconsented.exists()

    findings = findings_for(cohort=cohort)
    unquotable = list(
        Answer.objects.filter(interview__stage__cohort=cohort, interview__consent_to_quote=False)
        .values_list("value", flat=True)
    )
    for subject in findings.by_subject:
        assert subject.mentioned, subject.label
        assert subject.quotes, subject.label
        for quote in subject.quotes:
            assert not any(quote.text in value for value in unquotable), quote.text
    trainees = {row.theme: row.counts for row in findings.change(Subject.TRAINEE).rows}
    start, midway, qualification = trainees["Protected study time"]
    assert midway > start and midway > qualification  # study time lost mid-way
    assert trainees["Clarity of responsibility"][1] > trainees["Clarity of responsibility"][0]
    assert trainees["Career progression"][2] >= 6  # clear career progression on qualifying
    assert trainees["Remuneration"][0] >= 3  # pay worries from the start
    managers = {row.theme: row.counts for row in findings.change(Subject.MANAGER).rows}
    assert {"Supporting registered staff", "Protected study time", "Staffing balance"} <= set(
        managers
    )

    # Three audit rounds per ward, compliance rising from the first stage to the last.
    audits = audit_summary(programme=cohort.programme)
    assert len(audits.rounds) == 9
    assert all(10 <= r.records_sampled <= 20 for r in audits.rounds)
    (trend,) = audits.trends
    assert trend.stages == STAGES
    assert len(trend.wards) == 3
    for ward in trend.wards:
        assert None not in ward.values, ward.ward
        assert ward.values[0] < ward.values[1] < ward.values[2], ward.ward

    # Service-user satisfaction: three wards over at least four quarters, rising.
    satisfaction = satisfaction_summary(programme=cohort.programme)
    assert len(satisfaction.periods) >= 4
    assert len(satisfaction.wards) == 3
    for ward, scores in satisfaction.wards:
        assert None not in scores and scores[-1] > scores[0], ward
    for row in satisfaction.rows:
        assert row.source == "Productive Ward local survey" and row.questions

    # The cohort went on to complete; its interviews stay done.
    assert cohort.enrolments.filter(status="completed").count() == 7

    # Highmoor's pilot: Start done; Mid-way open with interviews due, past their due date.
    pilot = _cohort("highmoor")
    start_stage = pilot.evaluation_stages.get(name="Start")
    assert not start_stage.interviews.exclude(status=Interview.Status.DONE).exists()
    assert start_stage.interviews.filter(subject=Subject.TRAINEE).count() == 9
    midway_stage = pilot.evaluation_stages.get(name="Mid-way")
    assert midway_stage.status == Stage.Status.OPEN
    assert midway_stage.due_on < today
    pending = midway_stage.interviews.filter(
        status__in=(Interview.Status.DUE, Interview.Status.DRAFT)
    )
    assert pending.filter(subject=Subject.TRAINEE).count() >= 5
    assert pending.filter(subject=Subject.MANAGER).count() == 1
    for username in ("manager.highmoor", "lead.highmoor"):
        membership = Membership.objects.get(user__username=username, organisation__slug="highmoor")
        assert due_for(membership), username
    assert findings_for(cohort=pilot).trainee.mentioned

    call_command("seed_demo", "--quiet")
    assert _counts() == first
