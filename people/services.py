"""Writes for invitations and for the roles people hold in an organisation.

Each runs in a transaction, validates before saving, and records who did it: Invitation and
Membership are in the audit trail (django-auditlog), with the actor set here explicitly so that
commands, Celery jobs and the person accepting are attributed too. Callers (views, the
``invite`` command, the enrolment import) check that the actor may act in the organisation;
these functions check it again where a mistake would let someone into another organisation.

An invitation's link carries a secret; only its SHA-256 is stored, so the link is returned
once (and emailed after commit) and can never be shown again: resending makes a new one.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.audit import audit_log_created
from core.bulk import bulk_insert
from core.instances import build_instances
from programmes.models import Membership, Organisation, Role
from programmes.services import membership_grant, membership_revoke
from trainees.models import Trainee
from trainees.services import trainee_update

from .models import Invitation

logger = logging.getLogger(__name__)

# Where the invitation being accepted through single sign-on waits while the person is away at
# their identity provider (the SSO callback reads it and calls invitation_accept).
INVITATION_SESSION_KEY = "ladder_invitation"

Status = Invitation.Status


def invitation_days() -> int:
    return int(getattr(settings, "INVITATION_DAYS", 7))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return settings.LADDER_BASE_URL.rstrip("/") + reverse("people:accept", kwargs={"token": token})


def _invitation_links() -> Callable[[str], str]:
    """invitation_link for many tokens, reversing the URL once (a thousand reverse() calls were
    a twentieth of an import's time). A token is URL-safe: it goes into the path as it is."""
    head, _, tail = invitation_link("TOKEN").rpartition("TOKEN")
    return lambda token: f"{head}{token}{tail}"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _check_inviter(invited_by, organisation: Organisation) -> None:
    """Only a training lead of the organisation invites into it (None: a command or a job
    acting for the organisation, whose caller has checked)."""
    if invited_by is None:
        return
    if not Membership.objects.active().filter(
        user=invited_by, organisation=organisation, role=Role.TRAINING_LEAD
    ).exists():
        raise ValidationError(
            f"Only a training lead of {organisation.name} can invite people into it."
        )


def _expiry(invitation: Invitation) -> str:
    return date_format(timezone.localtime(invitation.expires_at), "j F Y, H:i")


def _invitation_email(invitation: Invitation, link: str, until: str = "") -> EmailMessage:
    """``until``: the expiry in words, if the caller has it (an import's share one)."""
    inviter = invitation.invited_by
    by = f" by {inviter.get_full_name() or inviter.get_username()}" if inviter else ""
    until = until or _expiry(invitation)
    body = (
        "Hello,\n\n"
        f"You have been invited{by} to join {invitation.organisation.name} in Ladder as "
        f"{invitation.get_role_display().lower()}.\n\n"
        "Open this link to accept and set up your sign-in:\n"
        f"{link}\n\n"
        f"The link works once, until {until}. If it has expired, ask your training lead to "
        "send a new one.\n\n"
        "If you were not expecting this, you can ignore this email.\n"
    )
    return EmailMessage(
        subject=f"You are invited to Ladder: {invitation.organisation.name}",
        body=body,
        to=[invitation.email],
    )


def _send_on_commit(sent: list[tuple[Invitation, str]]) -> None:
    """Email each (invitation, link) after commit, over one connection."""

    def send() -> None:
        expiries: dict = {}  # an import's thousand invitations expire at the same moment
        try:
            with get_connection() as connection:
                for invitation, link in sent:
                    if invitation.expires_at not in expiries:
                        expiries[invitation.expires_at] = _expiry(invitation)
                    message = _invitation_email(invitation, link, expiries[invitation.expires_at])
                    message.connection = connection
                    try:
                        message.send()
                    except Exception:  # the invitation stands; the lead can send it again
                        logger.exception("Could not email invitation %s", invitation.pk)
        except Exception:  # the mail server cannot be reached at all
            logger.exception("Could not email %s invitations", len(sent))

    if sent:
        transaction.on_commit(send)


def _invitation_save(
    *, organisation: Organisation, email: str, role: str, invited_by, trainee: Trainee | None
) -> tuple[Invitation, str]:
    token, hashed = _new_token()
    now = timezone.now()
    invitation = Invitation(
        organisation=organisation, email=email, role=role, trainee=trainee,
        token_hash=hashed, invited_by=invited_by,
        expires_at=now + timedelta(days=invitation_days()), last_sent_at=now, times_sent=1,
    )
    invitation.full_clean(validate_unique=False)  # the token's hash is new: 2**256 to one
    with set_actor(invited_by):
        invitation.save()
    return invitation, invitation_link(token)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by, trainee: Trainee | None = None
) -> tuple[Invitation, str]:
    """Invite ``email`` into ``organisation`` as ``role``; with ``trainee``, accepting links
    the login to that trainee record (the role must then be trainee).

    Returns the invitation and its link (shown once). The email goes after commit. Refuses
    (ValidationError) an inviter who is not a training lead there, a trainee of another
    organisation or already linked to a login, a person who already holds the role, and a
    second pending invitation for the same address and role."""
    _check_inviter(invited_by, organisation)
    email = normalise_email(email)
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = "Choose a role."
    if trainee is not None:
        if trainee.organisation_id != organisation.pk:
            raise ValidationError("This trainee is not in your organisation.")
        if role != Role.TRAINEE:
            errors["role"] = "A trainee's record can only be linked to a trainee's login."
        if trainee.user_id:
            errors["email"] = f"{trainee.full_name} already has a Ladder login."
    if email and not errors:
        if Membership.objects.active().filter(
            organisation=organisation, role=role, user__email__iexact=email, user__is_active=True
        ).exists():
            errors["email"] = f"{email} already has this role in {organisation.name}."
        elif Invitation.objects.pending().filter(
            organisation=organisation, role=role, email=email
        ).exists():
            errors["email"] = (
                f"{email} has already been invited as {Role(role).label.lower()}: resend that "
                "invitation from the list instead."
            )
    if errors:
        raise ValidationError(errors)
    invitation, link = _invitation_save(
        organisation=organisation, email=email, role=role, invited_by=invited_by, trainee=trainee
    )
    _send_on_commit([(invitation, link)])
    return invitation, link


@transaction.atomic
def invitations_create_for_trainees(
    *, organisation: Organisation, trainees: list[Trainee], invited_by
) -> list[Invitation]:
    """Invite many trainees of ``organisation`` at once (an enrolment import), each linked to
    their record, at the email on it. Skips a trainee with no email or a login, and an address
    that already has the trainee role there or a pending trainee invitation (or comes twice).
    Cost: six queries whatever the number (the rows, with their keys taken first, and their
    audit entries in bulk: core.bulk); the emails go after commit over one connection."""
    _check_inviter(invited_by, organisation)
    wanted = [t for t in trainees if t.email and not t.user_id]
    if not wanted:
        return []
    if any(t.organisation_id != organisation.pk for t in wanted):
        raise ValidationError("These trainees are not all in your organisation.")
    emails = {normalise_email(t.email) for t in wanted}
    skip = {
        normalise_email(email) for email in Membership.objects.active()
        .filter(organisation=organisation, role=Role.TRAINEE, user__email__in=emails)
        .values_list("user__email", flat=True)
    } | set(
        Invitation.objects.pending()
        .filter(organisation=organisation, role=Role.TRAINEE, email__in=emails)
        .values_list("email", flat=True)
    )
    now, link = timezone.now(), _invitation_links()
    expires_at = now + timedelta(days=invitation_days())  # the same moment for all of them
    invited, addresses, tokens = [], [], []
    for trainee in wanted:
        email = normalise_email(trainee.email)
        if email in skip:
            continue
        skip.add(email)
        invited.append(trainee)
        addresses.append(email)
        tokens.append(_new_token())
    # Made at once (core.instances). No clean_fields: every value is set here (the role, a new
    # token's hash: 2**256 to one, the times) but the email, and that is the trainee's own,
    # checked as an email field when the record was saved (the import's plan checks it as
    # clean_fields would). Checking a thousand of them again was a twentieth of an import's
    # time. The foreign keys are the caller's own rows.
    invitations = build_instances(Invitation, {
        "email": addresses, "trainee": invited, "token_hash": [hashed for _, hashed in tokens],
    }, shared={
        "organisation": organisation, "role": Role.TRAINEE, "invited_by": invited_by,
        "expires_at": expires_at, "last_sent_at": now, "times_sent": 1,
    })
    for invitation in invitations:
        invitation.clean()
    sent = [(invitation, link(token)) for invitation, (token, _) in zip(invitations, tokens, strict=True)]
    bulk_insert(invitations)
    audit_log_created(invitations, actor=invited_by)
    _send_on_commit(sent)
    return invitations


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> tuple[Invitation, str]:
    """Send a pending or expired invitation again with a new link and a new expiry; the old
    link stops working. Refuses an accepted or withdrawn one. Locks the row."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(
        pk=invitation.pk
    )
    _check_inviter(actor, invitation.organisation)
    status = invitation.status
    if status in (Status.ACCEPTED, Status.WITHDRAWN):
        raise ValidationError(f"This invitation was {status} and cannot be sent again.")
    token, hashed = _new_token()
    now = timezone.now()
    invitation.token_hash = hashed
    invitation.expires_at = now + timedelta(days=invitation_days())
    invitation.last_sent_at = now
    invitation.times_sent += 1
    invitation.full_clean()
    with set_actor(actor):
        invitation.save()
    link = invitation_link(token)
    _send_on_commit([(invitation, link)])
    return invitation, link


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw an invitation that has not been accepted: its link stops working. Locks it."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(
        pk=invitation.pk
    )
    _check_inviter(actor, invitation.organisation)
    if invitation.accepted_at:
        raise ValidationError(
            "This invitation has been accepted: take the role away on the person's page instead."
        )
    if invitation.withdrawn_at:
        return invitation
    invitation.withdrawn_at, invitation.withdrawn_by = timezone.now(), actor
    with set_actor(actor):
        invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return invitation


def refusal(invitation: Invitation) -> str | None:
    """Why this invitation cannot be accepted now, or None when it can."""
    status = invitation.status
    if status == Status.ACCEPTED:
        return (
            "This invitation has already been used. Sign in instead, or ask your training lead "
            "for a new invitation."
        )
    if status == Status.WITHDRAWN:
        return (
            "This invitation was withdrawn by your training lead. Ask them for a new one if "
            "you still need access."
        )
    if status == Status.EXPIRED:
        return "This invitation has expired. Ask your training lead to send you a new one."
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """The person ``user`` accepts: they get the role (added to their login if they have other
    roles: one person, one login), the trainee record is linked to them when the invitation
    names one, and the invitation is marked accepted. Locks the invitation row so one link is
    used once. Refuses an expired, used or withdrawn invitation (ValidationError saying which),
    and a trainee record already linked to someone else."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "trainee")
        .get(pk=invitation.pk)
    )
    reason = refusal(invitation)
    if reason:
        raise ValidationError(reason, code=invitation.status)
    if not user.is_active:
        raise ValidationError("This login has been deactivated. Ask your training lead.")
    with set_actor(user):
        membership = membership_grant(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        trainee = invitation.trainee
        if trainee is not None:
            if trainee.user_id and trainee.user_id != user.pk:
                raise ValidationError(
                    f"The trainee record of {trainee.full_name} is already linked to another login."
                )
            if Trainee.objects.filter(user=user).exclude(pk=trainee.pk).exists():
                raise ValidationError("Your login is already linked to another trainee record.")
            trainee_update(trainee=trainee, actor=user, user=user)
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def login_for_email(email: str):
    """The login whose email is ``email`` (any case), or None. Several: the active one first."""
    User = get_user_model()
    return (
        User.objects.filter(email__iexact=normalise_email(email))
        .order_by("-is_active", "pk")
        .first()
    )


@transaction.atomic
def invitation_sign_up(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> Membership:
    """A person with no login accepts: a login is made (their email is its username) with the
    password they chose, then :func:`invitation_accept`. Refuses when the address already has a
    login (they sign in and accept instead). The caller has validated the password.

    The invitation row is locked before the login is made: of two tabs finishing at once the
    second waits, then is told the invitation was just used (not a clash on the username)."""
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if reason := refusal(invitation):
        raise ValidationError(reason, code=invitation.status)
    if login_for_email(invitation.email) is not None:
        raise ValidationError(
            "You already have a Ladder login with this email address: sign in to accept."
        )
    User = get_user_model()
    user = User(
        username=invitation.email, email=invitation.email,
        first_name=first_name.strip(), last_name=last_name.strip(),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return invitation_accept(invitation=invitation, user=user)


# --- Roles managed in the app ------------------------------------------------------------------


def _other_active_leads(membership: Membership) -> bool:
    return (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role=Role.TRAINING_LEAD,
                user__is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    )


def _lock_organisation_leads(organisation_id: int) -> None:
    # Two leads removing each other at the same moment must not leave none: serialise the
    # changes to an organisation's leads on their membership rows.
    list(
        Membership.objects.select_for_update()
        .filter(organisation_id=organisation_id, role=Role.TRAINING_LEAD)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def role_give(*, organisation: Organisation, user, role: str, actor) -> Membership:
    """Give ``user`` (who has or had a role in the organisation) another role there. A leaver
    whose login was deactivated gets it back: they can sign in again."""
    _check_inviter(actor, organisation)
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role."})
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError("Invite this person first: they have no role in your organisation.")
    with set_actor(actor):
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        return membership_grant(user=user, organisation=organisation, role=role)


@transaction.atomic
def role_take_away(*, membership: Membership, actor) -> Membership:
    """Take one role away (the row stays, so what they did stays attributable). Refuses to
    remove the organisation's last training lead. Locks the organisation's lead rows."""
    _check_inviter(actor, membership.organisation)
    if membership.role == Role.TRAINING_LEAD:
        _lock_organisation_leads(membership.organisation_id)
        if membership.is_active and not _other_active_leads(membership):
            raise ValidationError(
                f"{membership.person_name} is the last training lead of "
                f"{membership.organisation.name}: give someone else that role first."
            )
    with set_actor(actor):
        return membership_revoke(membership=membership)


@transaction.atomic
def person_deactivate(*, organisation: Organisation, user, actor) -> int:
    """A leaver: every role they hold in ``organisation`` is taken away, and their login is
    deactivated when they hold no role anywhere else (a lead cannot lock someone out of
    another organisation). Returns how many roles were taken away. Refuses when it would
    remove the organisation's last training lead, and a lead deactivating themself."""
    _check_inviter(actor, organisation)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("You cannot deactivate your own login.")
    memberships = list(
        Membership.objects.active().filter(user=user, organisation=organisation)
        .select_related("organisation", "user")
    )
    for membership in memberships:
        role_take_away(membership=membership, actor=actor)
    if not Membership.objects.active().filter(user=user).exists() and user.is_active:
        user.is_active = False
        with set_actor(actor):
            user.save(update_fields=["is_active"])
    return len(memberships)
