"""People, memberships and the access layer: each person sees their own organisation only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from core.access import get_scoped_or_404, membership_required, memberships_for, scoped
from programmes import services
from programmes.models import Membership, Organisation, Role
from programmes.selectors import people_count_by_role, people_in_organisation

from .conftest import make_person


def membership_of(user) -> Membership:
    return memberships_for(user)[0]


def test_scoped_lists_only_the_acting_organisations_rows(world):
    lead = membership_of(world.person(Role.TRAINING_LEAD))
    rows = scoped(Membership.objects.all(), lead, "organisation")
    assert {m.organisation_id for m in rows} == {world.organisation.pk}
    assert world.outsider.pk not in {m.user_id for m in rows}


def test_scoped_on_the_organisation_itself(world):
    lead = membership_of(world.person(Role.TRAINING_LEAD))
    assert list(scoped(Organisation.objects.all(), lead, "")) == [world.organisation]


def test_get_scoped_or_404_hides_another_organisations_object(world):
    outsider = membership_of(world.outsider)
    acme_membership = membership_of(world.person(Role.TRAINEE))
    with pytest.raises(Http404):
        get_scoped_or_404(Membership.objects.all(), outsider, "organisation", pk=acme_membership.pk)


def test_get_scoped_or_404_treats_a_malformed_id_as_not_found(world):
    lead = membership_of(world.person(Role.TRAINING_LEAD))
    with pytest.raises(Http404):
        get_scoped_or_404(Membership.objects.all(), lead, "organisation", pk="not-a-number")


def test_nobody_without_a_membership_sees_anything(db):
    assert scoped(Membership.objects.all(), None, "organisation").count() == 0


def test_membership_required_refuses_roles_not_listed(world):
    view = membership_required(Role.TRAINING_LEAD)(lambda request: "ran")
    request = RequestFactory().get("/")
    request.user = world.person(Role.TRAINEE)
    request.membership = membership_of(request.user)
    with pytest.raises(PermissionDenied, match="not available to a trainee"):
        view(request)
    request.user = world.person(Role.TRAINING_LEAD)
    request.membership = membership_of(request.user)
    assert view(request) == "ran"


def test_a_person_without_a_role_is_refused_with_a_reason(client, db):
    user = services.person_ensure(username="nobody", first_name="No", last_name="Body",
                                  email="nobody@example.org", password="x" * 12)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert b"You do not have a role in any organisation" in response.content


def test_revoked_membership_gives_no_access(client, world):
    trainee = world.person(Role.TRAINEE)
    services.membership_revoke(membership=membership_of(trainee))
    client.force_login(trainee)
    assert client.get("/").status_code == 403


def test_people_page_lists_only_the_leads_organisation(client_as, world):
    response = client_as(Role.TRAINING_LEAD).get("/people/")
    names = {m.person_name for m in response.context["people"]}
    assert world.person(Role.TRAINEE).get_full_name() in names
    assert world.outsider.get_full_name() not in names
    assert len(names) == len(Role.values)


def test_people_count_by_role_counts_each_role(world):
    make_person(world.organisation, Role.TRAINEE, "second.trainee")
    counts = dict(people_count_by_role(membership=membership_of(world.person(Role.PLANNER))))
    assert counts["Trainee"] == 2
    assert counts["Training lead"] == 1


@pytest.mark.parametrize("size", [5, 15])
def test_people_list_costs_one_query_whatever_the_size(world, django_assert_num_queries, size):
    for n in range(size):
        make_person(world.organisation, Role.TRAINEE, f"trainee{n}")
    lead = membership_of(world.person(Role.TRAINING_LEAD))
    # 1: memberships joined to their users, in the lead's organisation
    with django_assert_num_queries(1):
        people = [(m.person_name, m.user.email) for m in people_in_organisation(membership=lead)]
    assert len(people) == size + len(Role.values)


@pytest.mark.parametrize("size", [5, 15])
def test_dashboard_query_count_is_constant(client_as, world, django_assert_num_queries, size):
    for n in range(size):
        make_person(world.organisation, Role.TRAINEE, f"trainee{n}")
    client = client_as(Role.TRAINING_LEAD)
    # 1 session, 2 user, 3 memberships (acting role); what is due, counted with the most urgent
    # fetched: 4 milestones, 5 evidence without a mentor (one item), 6 interviews to hold (their
    # details only when there are some); 7 the person's drafts; 8 programmes with their counts;
    # 9 people by role; 10-12 the session's sliding expiry saved (an UPDATE, inside a savepoint
    # because the test is a transaction)
    with django_assert_num_queries(12):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", [Role.TRAINING_LEAD, Role.PLANNER])
def test_leads_and_planners_see_their_programmes_on_their_dashboard(client_as, world, role):
    page = client_as(role).get("/").content.decode()
    assert 'data-testid="dashboard-programmes"' in page
    assert world.programme.title in page
    assert world.other_programme.title not in page
    assert "See all programmes" not in page  # one programme: nothing more to see


def test_the_dashboard_shows_five_programmes_and_links_to_the_rest(client_as, world):
    for n in range(5):
        services.programme_create(organisation=world.organisation, title=f"Programme {n}")
    response = client_as(Role.TRAINING_LEAD).get("/")
    assert [p.title for p in response.context["programmes"]] == [
        "Inpatient assistant practitioner", "Programme 0", "Programme 1", "Programme 2",
        "Programme 3",
    ]
    assert "See all programmes" in response.content.decode()


def test_switching_to_another_of_my_roles(client, world):
    lead = world.person(Role.TRAINING_LEAD)
    planner_elsewhere = services.membership_grant(
        user=lead, organisation=world.other_organisation, role=Role.PLANNER
    )
    client.force_login(lead)
    response = client.post("/switch/", {"membership": planner_elsewhere.pk}, follow=True)
    assert response.context["membership"] == planner_elsewhere
    assert b"Workforce planner, Other Health Board" in response.content


def test_switching_to_someone_elses_membership_is_404(client, world):
    client.force_login(world.person(Role.TRAINEE))
    lead_membership = membership_of(world.person(Role.TRAINING_LEAD))
    assert client.post("/switch/", {"membership": lead_membership.pk}).status_code == 404
    assert client.post("/switch/", {"membership": "abc"}).status_code == 404


@pytest.mark.parametrize("role", Role.values)
def test_each_role_reaches_its_own_dashboard(client_as, world, role):
    response = client_as(role).get("/")
    assert response.status_code == 200
    assert response.templates[0].name == f"dashboards/home_{role}.html"
    assert Role(role).label.encode() in response.content  # the header says who I am acting as
    assert world.organisation.name.encode() in response.content


def test_a_training_lead_sees_late_milestones_on_their_dashboard(client_as, world):
    # world.milestone is due 15 January 2026 and not done: it is late.
    response = client_as(Role.TRAINING_LEAD).get("/")
    titles = [item.title for item in response.context["due_items"]]
    assert "Milestone: Project team formed" in titles
    assert response.context["due_items"][0].overdue
    other = client_as("outsider").get("/")
    assert "Milestone: Project team formed" not in [i.title for i in other.context["due_items"]]
