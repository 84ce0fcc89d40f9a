"""What is due for a person: the dashboard source and /my/interviews/, at constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from evaluations.interviews import services
from evaluations.interviews.due import due_for
from evaluations.models import Interview
from programmes.models import Membership, Role

from .conftest import add_manager, add_trainee


def _membership(user, organisation) -> Membership:
    return Membership.objects.select_related("user", "organisation").get(user=user, organisation=organisation)


def test_a_manager_has_their_own_interview_due_and_a_lead_the_trainee_interviews(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    manager_items = due_for(_membership(world.person(Role.MANAGER), world.organisation))
    assert [i.title for i in manager_items] == ["Your manager interview: Mid-way"]
    assert manager_items[0].due == midway.due_on
    assert manager_items[0].url.startswith("/interviews/")
    lead_items = due_for(_membership(lead, world.organisation))
    assert [i.title for i in lead_items] == ["Mid-way interview with Sam Trainee"]
    for role in (Role.TRAINEE, Role.MENTOR, Role.LECTURER, Role.PLANNER):
        assert due_for(_membership(world.person(role), world.organisation)) == []
    assert due_for(_membership(world.outsider, world.other_organisation)) == []


def test_done_cancelled_and_unopened_are_not_due(world, lead, midway):
    assert due_for(_membership(lead, world.organisation)) == []  # planned: nothing due yet
    services.stage_open(stage=midway, actor=lead)
    interview = Interview.objects.get(stage=midway, enrolment=world.enrolment)
    services.interview_save(interview=interview, actor=lead, answers={"going_well": "x"})
    [item] = due_for(_membership(lead, world.organisation))
    assert "a draft is saved" in item.detail
    services.interview_save(interview=interview, actor=lead, held_on=date(2026, 11, 1), complete=True,
                            answers={"study_time_received": "yes", "confidence_mid": 3})
    assert due_for(_membership(lead, world.organisation)) == []


def _grow(world, lead, midway, size: int) -> None:
    for n in range(size):
        add_trainee(world, 100 * size + n, manager=add_manager(world, 100 * size + n))
    services.stage_open(stage=midway, actor=lead)


@pytest.mark.parametrize("size", [5, 15])
def test_due_for_costs_one_query_whatever_the_numbers(world, lead, midway, size, django_assert_num_queries):
    _grow(world, lead, midway, size)
    membership = _membership(lead, world.organisation)
    # 1. the pending interviews with their stage, cohort, trainee and manager
    with django_assert_num_queries(1):
        items = due_for(membership)
    assert len(items) == size + 1


def test_my_interviews_page_costs_the_same_at_5_and_at_15(client_as, world, lead, midway):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.TRAINING_LEAD)

    def count() -> tuple[int, str]:
        client.get("/my/interviews/")  # warm the session
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/my/interviews/").content.decode()
        return len(captured), body

    services.stage_open(stage=midway, actor=lead)
    for n in range(5):
        add_trainee(world, n, manager=add_manager(world, n))
    services.stage_open(stage=midway, actor=lead)
    at_5, body = count()
    assert body.count("Mid-way interview with") == 6
    for n in range(5, 15):
        add_trainee(world, n, manager=add_manager(world, n))
    services.stage_open(stage=midway, actor=lead)
    at_15, body = count()
    assert body.count("Mid-way interview with") == 16
    # 1. session  2. user  3. the acting memberships  4. the interviews, with their stage, cohort,
    # programme, trainee, manager and people (the session is not saved: core.sessions).
    assert at_5 == at_15 == 4


def test_the_stage_pages_cost_the_same_at_5_and_at_15(client_as, world, lead, midway):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.TRAINING_LEAD)
    urls = (f"/stages/{midway.pk}/", f"/cohorts/{world.cohort.pk}/evaluation/")

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found

    for n in range(5):
        add_trainee(world, n, manager=add_manager(world, n))
    services.stage_open(stage=midway, actor=lead)
    at_5 = counts()
    for n in range(5, 15):
        add_trainee(world, n, manager=add_manager(world, n))
    services.stage_open(stage=midway, actor=lead)
    at_15 = counts()
    # Stage page: session, user, memberships, the stage, its interviews with their people.
    # Cohort page: session, user, memberships, the cohort, the stages with their counts,
    # whether the programme has a plan. (Sessions are not saved on every request.)
    assert at_5 == at_15 == [5, 6]



@pytest.mark.parametrize("overdue", [False, True])
def test_the_home_pages_preview_is_the_head_of_the_full_list_in_one_query(world, lead, midway, overdue,
                                                                         django_assert_num_queries):
    from django.utils import timezone

    from evaluations.interviews.due import preview_for

    _grow(world, lead, midway, 15)
    if overdue:
        type(midway).objects.filter(pk=midway.pk).update(
            opens_on=timezone.localdate() - timedelta(days=30), due_on=timezone.localdate() - timedelta(days=1))
    interview = Interview.objects.filter(stage=midway, subject="trainee").order_by("pk")[3]
    services.interview_save(interview=interview, actor=lead, answers={"going_well": "a draft"})
    lead_membership = _membership(lead, world.organisation)
    assert len(due_for(lead_membership)) == 16
    assert any("a draft is saved" in item.detail for item in due_for(lead_membership))
    for membership in (lead_membership, _membership(world.person(Role.MANAGER), world.organisation)):
        full = due_for(membership)
        for n in (1, 5, 20):
            with django_assert_num_queries(1):
                preview = preview_for(membership, n)
            assert preview.most_urgent == full[:n]
            assert {kind: (t.count, t.overdue) for kind, t in preview.tallies.items()} == {
                "interview": (len(full), len(full) if overdue else 0)}
