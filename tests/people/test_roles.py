"""Leads give and take away roles in their own organisation, deactivate leavers, and never
remove the last lead; every change is in the audit trail."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from people import services
from programmes.models import Membership, Role
from programmes.services import membership_grant

LEAD = Role.TRAINING_LEAD


def active_roles(user, organisation) -> set[str]:
    return set(
        Membership.objects.active().filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
    )


def test_a_lead_gives_and_takes_away_a_role_and_both_are_audited_with_the_lead(world):
    lead, mentor = world.person(LEAD), world.person(Role.MENTOR)
    given = services.role_give(
        organisation=world.organisation, user=mentor, role=Role.LECTURER, actor=lead
    )
    assert active_roles(mentor, world.organisation) == {Role.MENTOR, Role.LECTURER}
    services.role_take_away(membership=given, actor=lead)
    assert active_roles(mentor, world.organisation) == {Role.MENTOR}
    entries = LogEntry.objects.get_for_object(given).order_by("timestamp")
    assert [e.actor for e in entries] == [lead, lead]
    assert entries.last().changes_dict["is_active"] == ["True", "False"]


def test_the_last_lead_cannot_be_removed(world):
    lead = world.person(LEAD)
    membership = Membership.objects.get(user=lead, role=LEAD)
    with pytest.raises(ValidationError, match="last training lead"):
        services.role_take_away(membership=membership, actor=lead)
    assert active_roles(lead, world.organisation) == {LEAD}


def test_a_lead_can_be_removed_when_another_remains(world):
    lead, planner = world.person(LEAD), world.person(Role.PLANNER)
    second = services.role_give(organisation=world.organisation, user=planner, role=LEAD, actor=lead)
    services.role_take_away(membership=Membership.objects.get(user=lead, role=LEAD), actor=planner)
    assert active_roles(lead, world.organisation) == set()
    with pytest.raises(ValidationError, match="last training lead"):
        services.role_take_away(membership=second, actor=planner)


def test_a_deactivated_login_does_not_count_as_a_remaining_lead(world):
    lead, planner = world.person(LEAD), world.person(Role.PLANNER)
    services.role_give(organisation=world.organisation, user=planner, role=LEAD, actor=lead)
    planner.is_active = False
    planner.save()
    with pytest.raises(ValidationError, match="last training lead"):
        services.role_take_away(membership=Membership.objects.get(user=lead, role=LEAD), actor=lead)


def test_deactivating_a_leaver_takes_every_role_and_the_login(world, client):
    lead, mentor = world.person(LEAD), world.person(Role.MENTOR)
    services.role_give(organisation=world.organisation, user=mentor, role=Role.LECTURER, actor=lead)
    assert services.person_deactivate(organisation=world.organisation, user=mentor, actor=lead) == 2
    mentor.refresh_from_db()
    assert not mentor.is_active
    assert active_roles(mentor, world.organisation) == set()
    entry = LogEntry.objects.get_for_object(mentor).latest("timestamp")
    assert (entry.actor, entry.changes_dict["is_active"]) == (lead, ["True", "False"])
    client.force_login(mentor)
    assert client.get("/").status_code == 302  # their session no longer signs them in


def test_a_leaver_with_a_role_elsewhere_keeps_their_login(world):
    lead, mentor = world.person(LEAD), world.person(Role.MENTOR)
    membership_grant(user=mentor, organisation=world.other_organisation, role=Role.MENTOR)
    services.person_deactivate(organisation=world.organisation, user=mentor, actor=lead)
    mentor.refresh_from_db()
    assert mentor.is_active
    assert active_roles(mentor, world.other_organisation) == {Role.MENTOR}


def test_deactivating_the_last_lead_is_refused_and_changes_nothing(world):
    lead, planner = world.person(LEAD), world.person(Role.PLANNER)
    # planner acts as a second lead to try to deactivate the only other one... then itself
    services.role_give(organisation=world.organisation, user=planner, role=LEAD, actor=lead)
    services.person_deactivate(organisation=world.organisation, user=lead, actor=planner)
    with pytest.raises(ValidationError, match="cannot deactivate your own"):
        services.person_deactivate(organisation=world.organisation, user=planner, actor=planner)
    manager = world.person(Role.MANAGER)
    services.role_give(organisation=world.organisation, user=manager, role=Role.PLANNER, actor=planner)
    membership_grant(user=manager, organisation=world.organisation, role=LEAD)
    # manager (now a lead too) deactivates the planner, the other lead: allowed; then nobody
    # may remove the manager's lead role.
    services.person_deactivate(organisation=world.organisation, user=planner, actor=manager)
    with pytest.raises(ValidationError, match="last training lead"):
        services.role_take_away(membership=Membership.objects.get(user=manager, role=LEAD), actor=manager)
    assert LEAD in active_roles(manager, world.organisation)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MENTOR, Role.LECTURER, Role.PLANNER, Role.TRAINEE])
def test_only_leads_change_roles(world, role):
    actor = world.person(role)
    mentor = world.person(Role.MENTOR)
    with pytest.raises(ValidationError, match="Only a training lead"):
        services.role_give(organisation=world.organisation, user=mentor, role=LEAD, actor=actor)
    with pytest.raises(ValidationError, match="Only a training lead"):
        services.role_take_away(membership=Membership.objects.get(user=mentor), actor=actor)
    with pytest.raises(ValidationError, match="Only a training lead"):
        services.person_deactivate(organisation=world.organisation, user=mentor, actor=actor)
    assert active_roles(mentor, world.organisation) == {Role.MENTOR}


def test_the_outsider_cannot_change_roles_in_another_organisation(world):
    mentor = world.person(Role.MENTOR)
    with pytest.raises(ValidationError, match="Only a training lead of Acme"):
        services.role_give(organisation=world.organisation, user=mentor, role=LEAD, actor=world.outsider)
    with pytest.raises(ValidationError):
        services.role_take_away(membership=Membership.objects.get(user=mentor), actor=world.outsider)
    with pytest.raises(ValidationError):
        services.person_deactivate(organisation=world.organisation, user=mentor, actor=world.outsider)
    # nor give a role in their own organisation to someone who has none there
    with pytest.raises(ValidationError, match="Invite this person first"):
        services.role_give(
            organisation=world.other_organisation, user=mentor, role=Role.MENTOR, actor=world.outsider
        )
    mentor.refresh_from_db()
    assert mentor.is_active and active_roles(mentor, world.organisation) == {Role.MENTOR}


def test_giving_a_deactivated_leaver_a_role_again_lets_them_sign_in(world, client):
    lead, mentor = world.person(LEAD), world.person(Role.MENTOR)
    services.person_deactivate(organisation=world.organisation, user=mentor, actor=lead)
    services.role_give(organisation=world.organisation, user=mentor, role=Role.MENTOR, actor=lead)
    mentor.refresh_from_db()
    assert mentor.is_active and active_roles(mentor, world.organisation) == {Role.MENTOR}
    client.force_login(mentor)
    assert client.get("/").status_code == 200
