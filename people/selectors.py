"""Reads for invitations and people's roles, scoped to the acting membership."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from core.access import get_scoped_or_404, scoped
from programmes.models import Membership, Role

from .models import Invitation
from .services import normalise_email, token_hash


def can_manage_people(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.TRAINING_LEAD


def pending_invitation_for_email(email: str) -> Invitation | None:
    """The newest pending invitation for this address (any case), in any organisation. For
    single sign-on: a verified email with no login may accept it. One query."""
    email = normalise_email(email)
    if not email:
        return None
    return (
        Invitation.objects.pending().filter(email=email)
        .select_related("organisation", "trainee")
        .order_by("-created_at", "-pk")
        .first()
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation whose link carries ``token``, whatever its status (the page says why it
    cannot be used), or None. One query."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("organisation", "trainee", "invited_by")
        .first()
    )


def invitations_visible_to(membership: Membership | None) -> QuerySet[Invitation]:
    """The acting organisation's invitations, newest first, for its training leads (nobody else
    sees them). The inviter and trainee are loaded: one query for the list."""
    if not can_manage_people(membership):
        return Invitation.objects.none()
    return (
        scoped(Invitation.objects.all(), membership, "organisation")
        .select_related("invited_by", "trainee", "accepted_by")
        .order_by("-created_at", "-pk")
    )


def get_invitation_for(*, membership: Membership | None, pk, write: bool = False) -> Invitation:
    """An invitation of the acting organisation (404 otherwise); only its leads see or change
    them (403 for anyone else there)."""
    invitation = get_scoped_or_404(
        Invitation.objects.select_related("organisation"), membership, "organisation", pk=pk
    )
    if not can_manage_people(membership):
        raise PermissionDenied("Only a training lead can manage invitations.")
    return invitation


def get_person_for(*, membership: Membership | None, pk, write: bool = False):
    """A login holding (or having held) a role in the acting organisation, or 404; 403 with
    write=True for anyone but a training lead there."""
    if membership is None:
        raise Http404("No such person.")
    User = get_user_model()
    user = (
        User.objects.filter(pk=pk, memberships__organisation_id=membership.organisation_id)
        .distinct()
        .first()
    )
    if user is None:
        raise Http404("No such person.")
    if write and not can_manage_people(membership):
        raise PermissionDenied("Only a training lead can change people's roles.")
    return user


def roles_in_organisation(*, membership: Membership, user) -> QuerySet[Membership]:
    """Every role ``user`` holds or held in the acting organisation, active first. One query."""
    return (
        scoped(Membership.objects.filter(user=user), membership, "organisation")
        .select_related("organisation")
        .order_by("-is_active", "role")
    )


def get_role_for(*, membership: Membership | None, pk, write: bool = False) -> Membership:
    """A role (membership) in the acting organisation, or 404; 403 unless a lead acts."""
    role = get_scoped_or_404(
        Membership.objects.select_related("organisation", "user"), membership, "organisation", pk=pk
    )
    if not can_manage_people(membership):
        raise PermissionDenied("Only a training lead can change people's roles.")
    return role
