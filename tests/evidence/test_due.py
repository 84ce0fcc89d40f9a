"""What evidence is due on each role's dashboard: one query, whatever the amount."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.evidence import services
from competencies.evidence.due import ASSESS_WITHIN, due_for
from programmes.models import Membership, Role
from trainees import services as trainee_services

from .factories import submit


def membership_of(world, role):
    return Membership.objects.select_related("user").get(
        user=world.person(role), organisation=world.organisation, role=role
    )


def test_a_mentor_is_due_to_assess_their_mentees_evidence_within_two_weeks(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], title="Observations")
    submit(world.trainee, [frameworks.escalation], title="Escalation")

    items = due_for(membership_of(world, Role.MENTOR))

    assert [item.title for item in items] == [
        "Assess “Observations” from Sam Trainee", "Assess “Escalation” from Sam Trainee"
    ]
    assert items[0].url == f"/evidence/{evidence.pk}/"
    assert items[0].due == timezone.localdate() + ASSESS_WITHIN
    assert not items[0].overdue


def test_a_trainee_is_due_to_change_returned_evidence(world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], title="Observations")
    services.evidence_return(evidence=evidence, assessor=world.person(Role.MENTOR), comment="Add the NEWS2 score.")

    (item,) = due_for(membership_of(world, Role.TRAINEE))

    assert item.title == "Change and resubmit “Observations”"
    assert item.detail == "Mentor Acme returned it: Add the NEWS2 score."
    assert item.due is None
    assert due_for(membership_of(world, Role.MENTOR)) == []


def test_a_training_lead_hears_of_evidence_with_no_mentor(world, frameworks):
    lead = world.person(Role.TRAINING_LEAD)
    trainee_services.trainee_update(trainee=world.trainee, actor=lead, mentor=None)
    submit(world.trainee, [frameworks.observations])
    (item,) = due_for(membership_of(world, Role.TRAINING_LEAD))
    assert item.title == "1 piece of evidence waiting with no mentor to assess it"
    assert item.url == "/evidence/?status=submitted&unassigned=1"


@pytest.mark.parametrize("role", [Role.MENTOR, Role.TRAINEE, Role.TRAINING_LEAD])
def test_due_items_cost_one_query_whatever_the_amount(world, frameworks, role):
    membership = membership_of(world, role)
    for n in range(6):
        evidence = submit(world.trainee, [frameworks.observations], title=f"Evidence {n}")
        if n % 2:
            services.evidence_return(evidence=evidence, assessor=world.person(Role.MENTOR), comment="Redo")
    with CaptureQueriesContext(connection) as queries:
        due_for(membership)
    assert len(queries) == 1


def test_other_roles_have_nothing_due_here(world, frameworks):
    submit(world.trainee, [frameworks.observations])
    for role in (Role.MANAGER, Role.LECTURER, Role.PLANNER):
        assert due_for(membership_of(world, role)) == []


def test_an_item_is_overdue_after_two_weeks(world, frameworks):
    from competencies.models import Evidence

    evidence = submit(world.trainee, [frameworks.observations])
    Evidence.objects.filter(pk=evidence.pk).update(updated_at=timezone.now() - timedelta(days=15))
    (item,) = due_for(membership_of(world, Role.MENTOR))
    assert item.overdue
