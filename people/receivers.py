"""What the people app does when lower floors announce a change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.dispatch import receiver

from trainees.enrolment_import.services import ImportFailed
from trainees.signals import enrolment_import_applied

from .services import invitations_create_for_trainees


@receiver(enrolment_import_applied, dispatch_uid="people.invite_imported_trainees")
def invite_imported_trainees(sender, *, job, trainees, actor, **kwargs) -> int:
    """Invite each new trainee of an enrolment import who has an email, as a trainee linked to
    their record. Runs in the import's transaction: the invitations are saved with it or not
    at all; the emails go after commit. So, unlike the after-commit receivers, not in
    core.receivers.receiver_guard: a failure here must roll the import back, in production
    too (ImportFailed names the line)."""
    if not trainees:
        return 0
    try:
        invited = invitations_create_for_trainees(
            organisation=job.cohort.programme.organisation,
            trainees=[trainee for _, trainee in trainees],
            invited_by=actor,
        )
    except ValidationError as exc:
        line = trainees[0][0]
        reason = "the invitations could not be made: " + " ".join(exc.messages)
        raise ImportFailed(line, reason) from exc
    return len(invited)
