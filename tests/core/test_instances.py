"""core.instances.build_instances: the instances ``Model(**row)`` makes, made at once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.instances import build_instances
from people.models import Invitation
from programmes.models import Role
from trainees.models import Enrolment, Trainee

pytestmark = pytest.mark.django_db


def values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_the_instances_are_those_the_keywords_make(world):
    lead, when = world.person(Role.TRAINING_LEAD), timezone.now()
    saved, unsaved = world.enrolment.trainee, Trainee(organisation=world.organisation, employee_number="U1")
    made = build_instances(Enrolment, {"trainee": [saved, unsaved], "status": ["active", "applied"],
                                       "enrolled_on": [world.cohort.starts_on, None]}, shared={"cohort": world.cohort})
    by_keywords = [Enrolment(trainee=saved, status="active", enrolled_on=world.cohort.starts_on, cohort=world.cohort),
                   Enrolment(trainee=unsaved, status="applied", enrolled_on=None, cohort=world.cohort)]
    assert [values(obj) for obj in made] == [values(obj) for obj in by_keywords]
    assert all(obj._state.adding and obj.pk is None for obj in made)
    # The related objects are cached, as assigning them does: no query to read them.
    assert made[1].trainee is unsaved and made[0].cohort is world.cohort
    invitations = build_instances(Invitation, {"email": ["a@example.nhs.uk"], "trainee_id": [saved.pk]},
                                  shared={"organisation": world.organisation, "role": Role.TRAINEE,
                                          "invited_by": lead, "expires_at": when})
    expected = Invitation(email="a@example.nhs.uk", trainee_id=saved.pk, organisation=world.organisation,
                          role=Role.TRAINEE, invited_by=lead, expires_at=when)
    assert values(invitations[0]) == values(expected)
    assert invitations[0].invited_by is lead and invitations[0].times_sent == 0  # a field left out: its default


def test_a_function_default_is_called_for_each_instance():
    from trainees.enrolment_import.models import EnrolmentImport

    first, second = build_instances(EnrolmentImport, {"original_name": ["a.csv", "b.csv"]})
    assert first.plan == second.plan == {} and first.plan is not second.plan  # default=dict: one each


def test_an_unknown_field_is_refused():
    with pytest.raises(TypeError, match="no field colour"):
        build_instances(Trainee, {"colour": ["red"]})
    assert build_instances(Trainee, {"employee_number": []}) == []
