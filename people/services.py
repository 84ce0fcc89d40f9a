"""Writes for invitations.

Minimal versions written for single sign-on (issue 12, item 3); the invitations work (items 1,
2 and 5) owns this module and may replace them, keeping these signatures.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from programmes.services import membership_grant

from .models import Invitation

# The session key holding the token of the invitation whose page the person came from, so that
# signing in (with a password or through single sign-on) accepts that invitation.
INVITATION_SESSION_KEY = "ladder_invitation"


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Invitation:
    """Accept a pending invitation as ``user``: grant the role in the invitation's organisation
    and link the trainee record (if the invitation names one that has no login yet). Locks the
    invitation row, so a link used twice at once is accepted once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        status = Invitation.Status(invitation.status).label.lower()
        raise ValidationError(f"This invitation is {status}.")
    membership_grant(user=user, organisation=invitation.organisation, role=invitation.role)
    trainee = invitation.trainee
    if trainee is not None and trainee.user_id is None:
        trainee.user = user
        trainee.full_clean()
        trainee.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.full_clean()
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation
