"""Credentials reacting to the floors below (they announce after commit; we never import up).

- ``attainment_changed``: a sign-off, correction, reassessment, withdrawal, expiry or erasure
  may change what a trainee may be credited with: re-read and issue or revoke
  (services.on_attainment_changed).
- ``enrolment_status_changed`` to completed: the programme-completion credential.

Deliberately not ``delegation_suspended``: a credential says the worker is competent for the
task, a delegation says who delegates it to them. A withdrawal or an expiry reaches both
through ``attainment_changed`` (each floor re-reads attainment); a delegation suspended because
its partnership ended leaves the competence, and so the credential, standing. Expiry changes
no row here: the credential's ``validUntil`` is the reassessment date, so it reads expired.
Tested end to end in tests/credentials/test_lapse_across_organisations.py.

Imported by credentials/apps.py ``ready()``. A failure is logged, never raised into the request
that made the change (it has committed), except under tests, where it is raised so that it
cannot pass unnoticed (core.receivers); re-announcing the pair issues what was missed.
"""

from __future__ import annotations

from django.dispatch import receiver

from competencies.signals import attainment_changed
from core.receivers import receiver_guard
from trainees.models import Enrolment
from trainees.signals import enrolment_status_changed

from . import services


@receiver(attainment_changed, dispatch_uid="credentials.attainment_changed")
def on_attainment_changed(sender, pairs, reason, **kwargs) -> None:
    with receiver_guard(f"Updating the credentials of {pairs} ({reason})"):
        services.on_attainment_changed(pairs=pairs, reason=reason)


@receiver(enrolment_status_changed, dispatch_uid="credentials.enrolment_status_changed")
def on_enrolment_status_changed(sender, enrolment, from_status, to_status, **kwargs) -> None:
    if to_status != Enrolment.Status.COMPLETED:
        return
    with receiver_guard(f"Issuing the completion credential of enrolment {enrolment.pk}"):
        services.credential_issue_for_enrolment(enrolment=enrolment)
