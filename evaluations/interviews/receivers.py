"""Evaluations reacting to enrolments changing status (trainees announces it after commit).

- A trainee withdraws: their interviews not yet done are cancelled, with the reason; never
  deleted, so the stage's counts still show what was planned.
- An enrolment becomes active while a stage of its cohort is open (a late joiner): the trainee
  gets the trainee interview, and their line manager a manager interview if they had none.

Imported at startup by evaluations/apps.py ``ready()``. The work is in services.py; a failure
here is logged, never raised into the request that changed the enrolment (it has committed),
except under tests, where it is raised so that it cannot pass unnoticed (core.receivers).
"""

from __future__ import annotations

from django.dispatch import receiver

from core.receivers import receiver_guard
from trainees.models import Enrolment
from trainees.signals import enrolment_status_changed, enrolments_created

from . import services

WITHDRAWN_REASON = "The trainee withdrew from the programme."


@receiver(enrolment_status_changed, dispatch_uid="evaluations.interviews.enrolment_status_changed")
def on_enrolment_status_changed(sender, enrolment, from_status, to_status, **kwargs) -> None:
    with receiver_guard(
        f"Updating the interviews of enrolment {enrolment.pk} ({from_status} -> {to_status})"
    ):
        if to_status == Enrolment.Status.WITHDRAWN:
            services.interviews_cancel_for_enrolment(enrolment=enrolment, reason=WITHDRAWN_REASON)
        elif to_status == Enrolment.Status.ACTIVE:
            services.interviews_add_for_enrolment(enrolment=enrolment)


@receiver(enrolments_created, dispatch_uid="evaluations.interviews.enrolments_created")
def on_enrolments_created(sender, cohort, enrolments, actor, **kwargs) -> None:
    with receiver_guard(f"Adding the interviews of {len(enrolments)} new enrolments of cohort {cohort.pk}"):
        services.interviews_add_for_enrolments(cohort_id=cohort.pk, enrolments=enrolments, actor=actor)
