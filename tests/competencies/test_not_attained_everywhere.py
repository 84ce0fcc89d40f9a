"""Withdrawal and expiry make attainment "not attained" at once everywhere it is read: the
attainment itself, the cohort progress matrix, the portfolio, delegation readiness, the case
study's figures, the data export and the API. Each case first shows the same places saying
"attained", so a place that kept an old answer would fail.

The gap analysis is not among them: it judges how the role profile is covered by existing
education (courses, national standards), which no trainee's sign-off changes.

(Consolidated from tests/evidence/test_expiry.py, which keeps the validity periods, the sweep
and the home pages.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from competencies.assessment import services as assessment
from competencies.evidence import services
from competencies.evidence.selectors import (
    Readiness,
    attainment_for,
    delegation_readiness,
    portfolio_for,
    progress_matrix,
)
from competencies.models import RoleProfileItem
from programmes.models import Membership, Role
from reports.documents.attainment import attainment_against_target
from reports.exports.datasets import Scope, attainment_table
from trainees.models import Enrolment

from ..api.conftest import client_with_token, token_for
from ..evidence.factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit


def _membership(world, role):
    return Membership.objects.select_related("user", "organisation").get(
        user=world.person(role), organisation=world.organisation, role=role
    )


def _everywhere(world, task) -> dict:
    """What each place says of the trainee's attainment of the task."""
    lead = _membership(world, Role.TRAINING_LEAD)
    got = attainment_for([world.trainee], [task])[(world.trainee.pk, task.pk)]
    matrix = progress_matrix(cohort=world.cohort, membership=lead)
    row = next(r for r in matrix.rows if r.trainee == world.trainee)
    [ready] = [t for t in delegation_readiness(membership=lead)[0].trainees if t.trainee == world.trainee]
    entry = portfolio_for(trainee=world.trainee).profile[0]
    enrolments = list(Enrolment.objects.filter(cohort__programme=world.programme).select_related("cohort"))
    case_study = attainment_against_target(programme_id=world.programme.pk, enrolments=enrolments).overall.met
    table = attainment_table(Scope(membership=lead))
    [export] = [r for r in table.rows if r[2] == world.trainee.full_name]
    api = client_with_token(token_for(world.person(Role.TRAINING_LEAD)))
    [item] = api.get("/api/v1/attainments/", {"trainee": world.trainee.pk}).json()["results"]
    return {
        "attainment": (got.status, got.meets(2)),
        "matrix": (row.met_count, row.cells[0].status, matrix.columns[0].met_count),  # the total: SQL's
        "delegation": ready.may_delegate,
        "portfolio": (entry.met, entry.status),
        "case study met": case_study,
        "export": (export[10], export[12]),
        "api": (item["status"], item["attained"]),
    }


@pytest.fixture
def task(world):
    framework = make_framework(short_name="Delegated healthcare tasks", levels=FOUR_LEVELS)
    competency = make_competency(framework, "Venepuncture", id_number="DT1", is_delegated_task=True)
    make_profile(world.programme, [(competency, 2, RoleProfileItem.Kind.ROLE_SPECIFIC)])
    return competency


def _expire(world, task, evidence):
    services.decisions_backdate(evidence=evidence, decided_at=timezone.now() - timedelta(days=400))


def _withdraw(world, task, evidence):
    assessment.attainment_withdraw(
        trainee=world.trainee, competency=task, actor=world.person(Role.MENTOR),
        reason="Needlestick incident on ward 4",
    )


@pytest.mark.parametrize(
    ("event", "status", "export_status"),
    [(_expire, "expired", "Expired"), (_withdraw, "withdrawn", "Withdrawn")],
    ids=["expiry", "withdrawal"],
)
def test_attainment_is_not_attained_everywhere_at_once(world, task, event, status, export_status):
    evidence = sign_off(submit(world.trainee, [task]), {task.pk: 2})
    before = _everywhere(world, task)
    assert before == {
        "attainment": ("current", True),
        "matrix": (1, "current", 1),
        "delegation": True,
        "portfolio": (True, "current"),
        "case study met": 1,
        "export": (True, "Signed off"),
        "api": ("current", True),
    }

    event(world, task, evidence)

    assert _everywhere(world, task) == {
        "attainment": (status, False),
        "matrix": (0, status, 0),
        "delegation": False,
        "portfolio": (False, status),
        "case study met": 0,
        "export": (False, export_status),
        "api": (status, False),
    }


def test_an_expired_delegated_task_is_overdue_for_reassessment(world, task):
    _expire(world, task, sign_off(submit(world.trainee, [task]), {task.pk: 2}))
    lead = _membership(world, Role.TRAINING_LEAD)
    [ready] = [t for t in delegation_readiness(membership=lead)[0].trainees if t.trainee == world.trainee]
    assert ready.status == Readiness.OVERDUE
    assert progress_matrix(cohort=world.cohort, membership=lead).rows[0].cells[0].reached is None


def test_a_withdrawal_says_why_and_keeps_the_sign_off_as_history(world, task):
    _withdraw(world, task, sign_off(submit(world.trainee, [task]), {task.pk: 2}))
    history = portfolio_for(trainee=world.trainee).profile[0].history
    assert [h.kind for h in history] == ["withdrawn", "signed_off"]
    assert history[0].comment == "Needlestick incident on ward 4"
