"""Every report gathers its figures in a fixed number of queries: measured at 5 and at 15
trainees (each with study time, a review and three pieces of evidence), and for a portfolio at
5 and at 15 signed-off pieces of evidence. Three times the data with the same count shows the
count does not grow with it; 50 proved no more and took a minute of the suite."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes import services as programme_services
from programmes.models import Membership, Role
from reports.documents import case_study, cohort_progress, portfolio
from reports.exports import DATASETS
from reports.exports.datasets import gather_tables
from tests.trainees.helpers import add_history, add_trainee
from trainees import services as trainee_services
from trainees.models import Trainee

from .data import add_evidence, add_profile, grow

pytestmark = pytest.mark.django_db

# Queries of each gatherer, whatever the size:
EXPECTED = {
    # narrative; programme (+ partners, clinical areas, milestones prefetched): 4; cohorts with
    # outcome counts; enrolments; their study time added up by cohort; attainment: profile
    # items, then the counts per competency, cohort and level with the enrolments meeting
    # every target (2, all in SQL); the role profile and its gap analysis (4); coded findings
    # (5); audits and the stage order; satisfaction
    "case study": 22,
    # the matrix (visible cohort ids, enrolments, profile items, attainment, self-ratings, met
    # totals); enrolments with study figures (and their visible cohort ids); reviews
    "cohort progress": 9,
    # every table: programmes (+ partners), cohorts, enrolments, profile items, attainment,
    # study time lost, audits, satisfaction; the visible cohort ids for the two tables that
    # read enrolments
    "export": 11,
}


def _measure(world) -> dict[str, int]:
    lead = Membership.objects.select_related("organisation", "user").get(user=world.person(Role.TRAINING_LEAD))
    planner = Membership.objects.select_related("organisation", "user").get(user=world.person(Role.PLANNER))
    counts = {}
    for name, gather in (
        ("case study", lambda: case_study.gather(world.programme, membership=lead)),
        ("cohort progress", lambda: cohort_progress.gather(world.cohort, membership=lead)),
        ("export", lambda: gather_tables(membership=planner, names=list(DATASETS))),
    ):
        with CaptureQueriesContext(connection) as ctx:
            gather()
        counts[name] = len(ctx.captured_queries)
    return counts


def test_case_study_cohort_progress_and_export_cost_the_same_at_5_and_15_trainees(world):
    profile = add_profile(world)
    grow(world, profile, 5)
    at_5 = _measure(world)
    grow(world, profile, 15)
    at_15 = _measure(world)
    assert at_5 == at_15 == EXPECTED, (at_5, at_15)


def test_case_study_costs_the_same_with_one_cohort_and_with_four(world):
    profile = add_profile(world)
    grow(world, profile, 5)
    lead = Membership.objects.select_related("organisation", "user").get(user=world.person(Role.TRAINING_LEAD))
    counts = []
    for cohorts in (1, 4):
        for n in range(world.programme.cohorts.count(), cohorts):
            cohort = programme_services.cohort_create(
                programme=world.programme, name=f"Cohort {n + 1}", starts_on=date(2026, 1, 5),
                ends_on=date(2027, 7, 16),
            )
            for m in range(2):
                trainee, _ = add_trainee(
                    world, first_name=f"Intake{n}", last_name=f"Trainee{m}", employee_number=f"C{n}{m}",
                    line_manager=world.person(Role.MANAGER), mentor=world.person(Role.MENTOR), enrol=False,
                )
                enrolment = trainee_services.enrolment_create(
                    trainee=trainee, cohort=cohort, actor=world.person(Role.TRAINING_LEAD),
                    enrolled_on=date(2026, 1, 5), status="active",
                )
                add_history(world, enrolment)
                add_evidence(world, trainee, profile)
        with CaptureQueriesContext(connection) as ctx:
            study = case_study.gather(world.programme, membership=lead)
        counts.append(len(ctx.captured_queries))
    assert [c.enrolled for c in study.cohorts] == [5, 2, 2, 2]
    assert counts == [EXPECTED["case study"]] * 2, counts


def test_portfolio_costs_the_same_at_5_and_15_pieces_of_evidence(world):
    profile = add_profile(world)
    lead = Membership.objects.select_related("organisation", "user").get(user=world.person(Role.TRAINING_LEAD))
    trainee = Trainee.objects.select_related("organisation", "clinical_area", "line_manager", "mentor").get(
        pk=world.trainee.pk
    )
    counts = []
    for pieces in (5, 10):  # 5, then 15 signed-off pieces of evidence for observations
        add_evidence(world, trainee, profile, pieces=pieces)
        with CaptureQueriesContext(connection) as ctx:
            report = portfolio.gather(trainee, membership=lead)
        counts.append(len(ctx.captured_queries))
    assert report.portfolio.profile[0].signed_off and len(report.portfolio.profile[0].signed_off) == 15
    # role-profile items, the claims with their evidence and assessors, the versions of
    # attainment, the self-ratings, the visible cohort ids and the enrolments
    assert counts == [6, 6]
