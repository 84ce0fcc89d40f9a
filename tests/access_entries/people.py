"""Who may use the invitation and people pages (people app).

Only Acme's training lead invites and manages roles; the outsider (a lead elsewhere) gets 404
for Acme's objects. The invitation link is open to anyone who holds it; it is built here from
a fresh invitation of Acme's.
"""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Entry, only


def _invitation(world):
    from people.services import invitation_create

    invitation, _ = invitation_create(
        organisation=world.organisation, email="new.person@example.org", role=Role.MENTOR,
        invited_by=world.person(Role.TRAINING_LEAD),
    )
    return {"pk": invitation.pk}


def _token(world):
    from people.services import invitation_create

    _, link = invitation_create(
        organisation=world.organisation, email="someone.new@example.org", role=Role.MANAGER,
        invited_by=world.person(Role.TRAINING_LEAD),
    )
    return {"token": link.rstrip("/").rsplit("/", 1)[-1]}


def _person(world):
    return {"pk": world.person(Role.MENTOR).pk}


def _role(world):
    return {"pk": world.person(Role.MENTOR).memberships.get().pk}


def _trainee(world):
    return {"pk": world.trainee.pk}


def _lead_only(kwargs, lead=OK) -> Entry:
    return Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND,
        roles={Role.TRAINING_LEAD: lead}, kwargs=kwargs,
    )


ENTRIES: dict[str, Entry] = {
    "people:invite": only(Role.TRAINING_LEAD),
    "people:invitations": only(Role.TRAINING_LEAD),
    "people:invitation_resend": _lead_only(_invitation, lead=NOT_ALLOWED),
    "people:invitation_withdraw": _lead_only(_invitation, lead=NOT_ALLOWED),
    "people:person": _lead_only(_person),
    "people:role_give": _lead_only(_person, lead=NOT_ALLOWED),
    "people:person_deactivate": _lead_only(_person, lead=NOT_ALLOWED),
    "people:role_take_away": _lead_only(_role, lead=NOT_ALLOWED),
    "people:invite_trainee": _lead_only(_trainee),
    # The emailed link: anyone holding it sees the page. A signed-in person it is not
    # addressed to is told so (403) and nothing changes.
    "people:accept": Entry(anonymous=OK, members=FORBIDDEN, outsider=FORBIDDEN, kwargs=_token),
    "people:accept_sso": Entry(
        anonymous=NOT_ALLOWED, members=NOT_ALLOWED, outsider=NOT_ALLOWED, kwargs=_token
    ),
}
