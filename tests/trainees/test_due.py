"""What trainees.due.due_for gives each role for their dashboard."""

from __future__ import annotations

from datetime import date

import pytest

from programmes.models import Membership, Role
from trainees import services
from trainees.due import due_for

pytestmark = pytest.mark.django_db


def _membership(world, role):
    return Membership.objects.get(user=world.person(role), organisation=world.organisation)


def _titles(world, role):
    return [item.title for item in due_for(_membership(world, role))]


def test_manager_is_told_of_the_overdue_review_the_contract_and_study_time(world):
    # Sam started on 5 January 2026 with no review and no study time: by now (late 2026 in
    # the tests' world, or any later date) the 12-week review is overdue and study time is 0%.
    items = due_for(_membership(world, Role.MANAGER))
    titles = [i.title for i in items]
    assert "Progress review with Sam Trainee" in titles
    assert "Sign Sam Trainee's learning contract" in titles
    assert "Sam Trainee's study time is below plan" in titles
    review = next(i for i in items if i.title.startswith("Progress review"))
    assert review.due == date(2026, 3, 30)
    assert review.url.endswith(f"/enrolments/{world.enrolment.pk}/")


def test_signing_removes_the_contract_item(world):
    manager = world.person(Role.MANAGER)
    services.contract_sign(contract=world.enrolment.contract, party="manager", user=manager,
                           allowed_parties={"manager"})
    assert "Sign Sam Trainee's learning contract" not in _titles(world, Role.MANAGER)
    # ... but the mentor still has to sign.
    assert _titles(world, Role.MENTOR) == ["Sign Sam Trainee's learning contract"]


def test_the_contract_item_counts_who_has_signed_until_the_person_does(world):
    from trainees.due import preview_for

    contract, mentor = world.enrolment.contract, world.person(Role.MENTOR)

    def contract_details(role):
        # The full list and the home page's preview say the same.
        membership = _membership(world, role)
        items = [due_for(membership), preview_for(membership, 20).most_urgent]
        return [[i.detail for i in listed if i.kind == "contract"] for listed in items]

    where = f"{world.programme.title}: {world.cohort.name}"
    assert contract_details(Role.MANAGER) == [[f"0 of 4 have signed. {where}"]] * 2
    services.contract_sign(contract=contract, party="mentor", user=mentor, allowed_parties={"mentor"})
    services.contract_sign(contract=contract, party="trainee", user=world.person(Role.TRAINEE),
                           allowed_parties={"trainee"})
    assert contract_details(Role.MANAGER) == [[f"2 of 4 have signed. {where}"]] * 2
    assert contract_details(Role.LECTURER) == [[f"2 of 4 have signed. {where}"]] * 2
    assert contract_details(Role.MENTOR) == [[], []]  # signed: nothing left to do


def test_trainee_and_lecturer_items(world):
    assert set(_titles(world, Role.TRAINEE)) == {"Your progress review", "Sign your learning contract"}
    assert set(_titles(world, Role.LECTURER)) == {
        "Progress review with Sam Trainee", "Sign Sam Trainee's learning contract"
    }


def test_leads_planners_and_outsiders_get_nothing_from_here(world):
    assert due_for(_membership(world, Role.TRAINING_LEAD)) == []
    assert due_for(_membership(world, Role.PLANNER)) == []
    assert due_for(None) == []


def test_closed_enrolments_are_not_due(world):
    services.enrolment_transition(enrolment=world.enrolment, to_status="withdrawn",
                                  actor=world.person(Role.TRAINING_LEAD), reason="Left")
    assert _titles(world, Role.MANAGER) == []


def test_someone_who_has_only_applied_is_not_flagged(world, client_as):
    from trainees.models import Enrolment

    from .helpers import add_trainee

    trainee, _ = add_trainee(world, line_manager=world.person(Role.MANAGER), enrol=False)
    services.enrolment_create(trainee=trainee, cohort=world.cohort, enrolled_on=date(2026, 1, 5),
                              actor=world.person(Role.TRAINING_LEAD), status=Enrolment.Status.APPLIED)
    titles = _titles(world, Role.MANAGER)
    assert "Sign Nobody Managed's learning contract" in titles
    assert not [t for t in titles if "Nobody Managed" in t and "contract" not in t]
    page = client_as(Role.TRAINING_LEAD).get(f"/cohorts/{world.cohort.pk}/")
    assert [p.enrolment.trainee.full_name for p in page.context["below_plan"]] == ["Sam Trainee"]
    applied = next(p for p in page.context["rows"] if p.enrolment.trainee == trainee)
    assert applied.review_due is None and not applied.below_plan
