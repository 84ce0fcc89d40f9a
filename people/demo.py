"""Demo invitations: what a training lead's Invitations page looks like in use. Idempotent.

Made without sending email (the addresses are examples) and with links nobody holds: a demo
shows the list, resending one shows the rest of the flow (with the console email backend the
new link is printed).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from programmes.models import Organisation, Role

from . import services
from .models import Invitation

DEMO_INVITATIONS = (
    # (organisation, email, role, what happened to it)
    ("westmoor", "ward.manager.birch@example.org", Role.MANAGER, "pending"),
    ("westmoor", "assessor.rowan@example.org", Role.MENTOR, "expired"),
    ("westmoor", "planner.deputy@example.org", Role.PLANNER, "withdrawn"),
    ("highmoor", "physio.assessor@example.org", Role.MENTOR, "pending"),
)


@transaction.atomic
def seed_invitations() -> None:
    User = get_user_model()
    for slug, email, role, state in DEMO_INVITATIONS:
        organisation = Organisation.objects.get(slug=slug)
        if Invitation.objects.filter(organisation=organisation, email=email).exists():
            continue
        lead = User.objects.get(username=f"lead.{slug}")
        invitation, _link = services._invitation_save(  # no email: these addresses are examples
            organisation=organisation, email=email, role=role, invited_by=lead, trainee=None
        )
        if state == "expired":
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=timezone.now() - timedelta(days=12),
                last_sent_at=timezone.now() - timedelta(days=12),
                expires_at=timezone.now() - timedelta(days=5),
            )
        elif state == "withdrawn":
            services.invitation_withdraw(invitation=invitation, actor=lead)
