"""Setting up more trainees for the tests, through the same services the app uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from programmes.models import Role
from trainees import services


def add_trainee(world, *, first_name="Nobody", last_name="Managed", employee_number="E2001",
                line_manager=None, mentor=None, enrol=True, **fields):
    """A second Acme trainee (managed and mentored by nobody unless given), enrolled on
    world.cohort."""
    lead = world.person(Role.TRAINING_LEAD)
    trainee = services.trainee_create(
        organisation=world.organisation, actor=lead, first_name=first_name, last_name=last_name,
        employee_number=employee_number, clinical_area=fields.pop("clinical_area", world.ward),
        line_manager=line_manager, mentor=mentor, **fields,
    )
    enrolment = None
    if enrol:
        enrolment = services.enrolment_create(
            trainee=trainee, cohort=fields.get("cohort", world.cohort), actor=lead,
            enrolled_on=date(2026, 1, 5), status="active",
        )
    return trainee, enrolment


def add_history(world, enrolment, *, sessions=2, reviews=1) -> None:
    """Study sessions (taken, and one lost) and reviews, as a manager would record them."""
    manager = world.person(Role.MANAGER)
    for n in range(sessions):
        services.study_session_record(
            enrolment=enrolment, actor=manager, date=date(2026, 2, 2 + n), hours=Decimal("3.5"),
            outcome="lost" if n == 0 else "taken", lost_reason="ward_staffing" if n == 0 else "",
        )
    for n in range(reviews):
        services.review_record(
            enrolment=enrolment, actor=manager, held_on=date(2026, 3, 2 + n), notes="Going well."
        )
