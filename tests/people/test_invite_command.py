"""manage.py invite: the same invitation as the page, with the link as the last line."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from people import selectors
from people.models import Invitation
from programmes.models import Role


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("invite", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_invite_prints_the_working_link_last_and_emails_it(world, settings, django_capture_on_commit_callbacks):
    settings.LADDER_BASE_URL = "https://ladder.example.nhs.uk"
    with django_capture_on_commit_callbacks(execute=True):
        lines = run("New.Lecturer@example.ac.uk", "--organisation", "acme", "--role", "lecturer")
    link = lines[-1]
    assert link.startswith("https://ladder.example.nhs.uk/invitations/")
    invitation = selectors.invitation_for_token(link.rstrip("/").rsplit("/", 1)[-1])
    assert (invitation.email, invitation.role, invitation.organisation) == (
        "new.lecturer@example.ac.uk", Role.LECTURER, world.organisation
    )
    assert invitation.invited_by is None
    [message] = mail.outbox
    assert link in message.body


def test_invite_links_a_trainee_by_employee_number(world):
    from trainees import services as trainee_services

    trainee = trainee_services.trainee_create(
        organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD),
        first_name="Priya", last_name="Shah", employee_number="E2002",
    )
    run("priya@example.nhs.uk", "--organisation", "acme", "--role", "trainee", "--trainee", "E2002")
    assert Invitation.objects.get().trainee == trainee


@pytest.mark.parametrize("args, message", [
    (["x@example.org", "--organisation", "nowhere", "--role", "mentor"], "No organisation"),
    (["x@example.org", "--organisation", "acme", "--role", "trainee", "--trainee", "E404"],
     "No trainee"),
    # A trainee record links only to a trainee login
    (["x@example.org", "--organisation", "acme", "--role", "mentor", "--trainee", "E1001"],
     "A trainee's record can only be linked"),
    (["mentor.acme@example.org", "--organisation", "acme", "--role", "mentor"],
     "already has this role"),
])
def test_invite_refuses_with_the_reason_and_creates_nothing(world, args, message):
    before = Invitation.objects.count()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Invitation.objects.count() == before
