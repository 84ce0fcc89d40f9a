"""Fixtures for the interview tests: more trainees and managers, and stages set up through the
services, as the app does."""

from __future__ import annotations

from datetime import date

import pytest

# Until evaluations/apps.py ready() imports them, the tests wire the signal receivers and
# register the Celery task themselves (tests/interviews/test_startup.py checks the real thing).
import evaluations.interviews.receivers  # noqa: E402, F401
import evaluations.interviews.tasks  # noqa: E402, F401
from programmes.models import Role
from trainees import services as trainee_services

from ..conftest import make_person


def add_trainee(world, n: int, *, manager=None, status: str = "active", cohort=None):
    lead = world.person(Role.TRAINING_LEAD)
    trainee = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name=f"Trainee{n}", last_name=f"Number{n}",
        employee_number=f"T{n:04d}", line_manager=manager or world.person(Role.MANAGER),
    )
    return trainee_services.enrolment_create(
        trainee=trainee, cohort=cohort or world.cohort, actor=lead,
        enrolled_on=date(2026, 1, 5), status=status,
    )


def add_manager(world, n: int):
    return make_person(world.organisation, Role.MANAGER, f"manager{n}.acme")


@pytest.fixture
def lead(world):
    return world.person(Role.TRAINING_LEAD)


@pytest.fixture
def midway(world, lead):
    """The cohort's default stages set up; the mid-way one returned, not yet open."""
    from evaluations.interviews import services

    return services.stages_create_defaults(cohort=world.cohort, actor=lead)[1]
