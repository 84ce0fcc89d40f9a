"""Each role's own Ladder: menus with only what the role uses, home pages that lead with its
work (the planner's reports and exports, the lecturer's cohorts, the manager's wards), and
the account page that offers API tokens to the roles that use the API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.navigation import menu_for
from programmes import services
from programmes.models import Role
from tests.trainees.helpers import add_trainee
from trainees import services as trainee_services
from trainees.models import REVIEW_INTERVAL

from ..conftest import make_person
from ..programmes.helpers import Page


def _labels(role: str) -> list[str]:
    return [item["label"] for item in menu_for(role, "/")]


def test_the_planner_menu_leads_with_reports_and_offers_no_interviews_evidence_or_delegation():
    labels = _labels(Role.PLANNER)
    assert labels[:2] == ["Home", "Reports"]
    assert not {"Interviews", "Evidence", "Delegation", "Delegated tasks"} & set(labels)


def test_a_trainee_menu_is_their_own_record_portfolio_evidence_and_delegated_tasks():
    # A care worker (a trainee) acknowledges the tasks delegated to them on "Delegated tasks".
    assert _labels(Role.TRAINEE) == [
        "Home", "Your record", "Your portfolio", "Evidence", "Delegated tasks",
    ]


@pytest.mark.parametrize("role", Role.values)
def test_every_menu_item_opens_a_page_the_role_may_use(client_as, world, role):
    client = client_as(role)
    for item in menu_for(role, "/"):
        response = client.get(item["url"], follow=True)  # "Your portfolio" redirects to it
        assert response.status_code == 200, (role, item["label"])


@pytest.mark.parametrize("role", Role.values)
def test_api_tokens_are_on_the_account_page_for_leads_and_planners_only(client_as, world, role):
    client = client_as(role)
    home = client.get("/").content.decode()
    tokens = reverse("api_tokens:list")
    assert tokens not in home  # not in the header any more
    assert reverse("dashboards:account") in home
    account = client.get(reverse("dashboards:account")).content.decode()
    assert "Change your password" in account
    assert (tokens in account) == (role in (Role.TRAINING_LEAD, Role.PLANNER))


def test_the_planner_home_links_straight_to_the_export(client_as, world):
    page = client_as(Role.PLANNER).get("/").content.decode()
    assert reverse("reports:export") in page
    assert page.index("Reports and exports") < page.index('data-testid="dashboard-programmes"')


def test_the_lecturer_home_lists_their_cohorts_with_contracts_to_sign(client_as, world):
    page = client_as(Role.LECTURER).get("/")
    [cohort] = page.context["cohorts"]
    assert cohort == world.cohort
    assert (cohort.in_training, cohort.contracts_to_sign) == (1, 1)
    html = page.content.decode()
    assert reverse("trainees:cohort_detail", kwargs={"pk": world.cohort.pk}) in html
    assert "1 learning contract to sign" in html
    assert world.other_cohort.name not in html


def test_the_lecturer_home_shows_the_reviews_due_in_each_cohort_and_leads_to_them(client_as, world):
    lecturer, manager = world.person(Role.LECTURER), world.person(Role.MANAGER)
    today = timezone.localdate()
    second = services.cohort_create(
        programme=world.programme, name="Cohort 2", starts_on=today - timedelta(days=7),
        ends_on=date(2028, 7, 14), lecturers=[lecturer],
    )
    untaught = services.cohort_create(
        programme=world.programme, name="Cohort 3", starts_on=date(2026, 1, 5), ends_on=date(2027, 12, 17),
    )

    def reviewed(enrolment, held_on):
        trainee_services.review_record(enrolment=enrolment, actor=manager, held_on=held_on, notes="Fine.")

    # Cohort 1: Sam overdue (a day past the 12 weeks), one due soon, one reviewed last week.
    reviewed(world.enrolment, today - REVIEW_INTERVAL - timedelta(days=1))
    _, soon = add_trainee(world, employee_number="E3001")
    reviewed(soon, today - REVIEW_INTERVAL + timedelta(days=7))
    _, recent = add_trainee(world, employee_number="E3002")
    reviewed(recent, today - timedelta(days=7))
    trainee_services.contract_sign(contract=recent.contract, party="lecturer", user=lecturer,
                                   allowed_parties={"lecturer"})
    # Cohort 2 started a week ago: its trainee's first review is weeks away. Cohort 3 is not theirs.
    for n, cohort in enumerate((second, untaught)):
        trainee, _ = add_trainee(world, employee_number=f"E400{n}", enrol=False)
        trainee_services.enrolment_create(trainee=trainee, cohort=cohort, actor=world.person(Role.TRAINING_LEAD),
                                          status="active")

    client = client_as(Role.LECTURER)
    page = client.get("/")

    rows = {c.name: (c.in_training, c.reviews_due, c.reviews_overdue, c.contracts_to_sign)
            for c in page.context["cohorts"]}
    assert rows == {"Cohort 1": (3, 2, 1, 2), "Cohort 2": (1, 0, 0, 1)}
    cells = [row.text() for row in Page(page).all(data_testid="lecturer-cohort")]
    assert "Due 2 progress reviews due, 1 overdue" in cells[1]  # newest first: Cohort 2, Cohort 1
    assert "2 learning contracts to sign" in cells[1] and "See what is due in Cohort 1" in cells[1]
    assert "Due 1 learning contract to sign" in cells[0] and "review" not in cells[0]
    # "See what is due" opens the list of what is due, filtered to the cohort: the same reviews.
    due_list = reverse("dashboards:due")
    due_url = next(link for link in Page(page).links() if link.startswith(due_list) and "Cohort%201" in link)
    listed = client.get(due_url).context["page_obj"]
    assert sorted(item.title for item in listed if item.kind == "review") == [
        "Progress review with Nobody Managed", "Progress review with Sam Trainee",
    ]
    assert {item.cohort for item in listed} == {"Inpatient assistant practitioner: Cohort 1"}


def test_a_manager_home_shows_their_wards(client_as, world):
    ward = services.clinical_area_ensure(organisation=world.organisation, name="Rowan Ward")
    add_trainee(world, employee_number="E3001", line_manager=world.person(Role.MANAGER),
                clinical_area=ward)
    page = client_as(Role.MANAGER).get("/")
    assert page.context["wards"] == [{"name": "Larch Ward", "trainees": 1},
                                     {"name": "Rowan Ward", "trainees": 1}]
    assert "Rowan Ward: 1 trainee" in page.content.decode()


@pytest.mark.parametrize("size", [5, 15])
def test_the_lecturer_and_manager_homes_cost_the_same_queries_at_any_size(
    client_as, world, django_assert_num_queries, size
):
    lead, manager = world.person(Role.TRAINING_LEAD), world.person(Role.MANAGER)
    cohorts = [services.cohort_create(
        programme=world.programme, name=f"Cohort {n + 2}", starts_on=date(2026, 9, 7),
        ends_on=date(2028, 7, 14), lecturers=[world.person(Role.LECTURER)],
    ) for n in range(size // 5)]
    for n in range(size):
        trainee = trainee_services.trainee_create(
            organisation=world.organisation, actor=lead, first_name=f"T{n}", last_name="Extra",
            employee_number=f"X{n:04d}", line_manager=manager, clinical_area=world.ward,
        )
        trainee_services.enrolment_create(trainee=trainee, cohort=cohorts[n % len(cohorts)],
                                          actor=lead, status="active")
    from dashboards import selectors
    from programmes.models import Membership

    lecturer = Membership.objects.select_related("user").get(user=world.person(Role.LECTURER))
    managing = Membership.objects.get(user=manager)
    # The lecturer's: the cohorts, then a row for each open enrolment on them (the cohorts'
    # counts are worked out from those rows, as the list of what is due is). The wards: 1.
    with django_assert_num_queries(2):
        teaching = selectors.lecturer_teaching(membership=lecturer)
    assert len(teaching.cohorts) == size // 5 + 1
    assert sum(cohort.in_training for cohort in teaching.cohorts) == size + 1
    with django_assert_num_queries(1):
        wards = selectors.manager_wards(membership=managing)
    assert wards == [{"name": "Larch Ward", "trainees": size + 1}]


def test_a_lecturer_without_cohorts_is_told_why(client, world):
    lecturer = make_person(world.organisation, Role.LECTURER, "lecturer2.acme")
    client.force_login(lecturer)
    assert "You are not named as a lecturer on any cohort yet" in client.get("/").content.decode()
