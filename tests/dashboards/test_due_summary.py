"""Home pages that summarise what is due (counts per kind, the 20 most urgent, a link to the
rest) and the full list: paginated, filtered by kind, cohort and ward, scoped to the person, and
costing the same queries at 5 and at 15 trainees."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competencies.evidence.due import ASSESS_WITHIN
from competencies.models import Evidence
from dashboards.due import DUE_PAGE_SIZE, SHOWN_ON_HOME, due_items_for
from programmes import services as programme_services
from programmes.due import KIND_RANK, urgency
from programmes.models import Membership, Role
from tests.evidence.factories import make_competency, make_framework, make_profile, submit
from tests.trainees.helpers import add_trainee
from trainees import due as trainee_due
from trainees import services as trainee_services
from trainees.due import REVIEW_SOON
from trainees.models import REVIEW_INTERVAL

pytestmark = pytest.mark.django_db

# The middleware's own reads (session, user, memberships): not the page's, and not pinned here.
REQUEST_OVERHEAD = (
    '"django_session"', "SAVEPOINT", 'FROM "programmes_membership"',
    'FROM "auth_user" WHERE "auth_user"."id" =',
)


def _grow(world, to: int, *, ward=None) -> None:
    """Trainees managed by the world's manager up to ``to`` on the cohort. Each has a contract
    the manager has not signed, a review overdue and no study time: three things due."""
    have = world.cohort.enrolments.count()
    for n in range(have, to):
        add_trainee(world, first_name=f"Due{n:02d}", last_name="Grown", employee_number=f"D{n:03d}",
                    line_manager=world.person(Role.MANAGER), mentor=world.person(Role.MENTOR),
                    clinical_area=ward or world.ward)


def _own_queries(client, url, params=None) -> tuple[int, int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    own = [sql for sql in sqls if not any(marker in sql for marker in REQUEST_OVERHEAD)]
    return len(sqls), len(own), response


def test_a_manager_home_counts_each_kind_and_shows_the_20_most_urgent(client_as, world):
    _grow(world, 12)  # 12 managed trainees (Sam and 11 more): 36 things due
    response = client_as(Role.MANAGER).get("/")
    due = response.context["due"]
    counts = {c.kind: c.count for c in due.counts}
    assert counts == {"review": 12, "contract": 12, "study_time": 12}
    assert due.total == sum(counts.values())
    assert len(response.context["due_items"]) == SHOWN_ON_HOME
    # Most urgent first: every dated item before any undated one.
    dated = [item.due is not None for item in response.context["due_items"]]
    assert dated == sorted(dated, reverse=True)
    html = response.content.decode()
    assert html.count('data-testid="due-list"') == 1
    assert f"See all {due.total} things due" in html
    assert f'{reverse("dashboards:due")}?kind=contract' in html
    assert "Learning contracts to sign" in html


def test_the_full_list_pages_and_filters_by_kind_cohort_and_ward(client_as, world):
    rowan = programme_services.clinical_area_ensure(organisation=world.organisation, name="Rowan Ward")
    _grow(world, 12)
    _grow(world, 14, ward=rowan)  # two more on Rowan Ward: 42 things due
    client = client_as(Role.MANAGER)
    url = reverse("dashboards:due")
    first = client.get(url)
    assert first.context["total"] == 42
    assert len(first.context["page_obj"]) == DUE_PAGE_SIZE
    assert 'aria-label="Pagination"' in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["page_obj"]) == 42 - DUE_PAGE_SIZE
    seen = [item.title for item in first.context["page_obj"]] + [i.title for i in second.context["page_obj"]]
    assert len(set(seen)) == 42  # every item once, across the pages

    contracts = client.get(url, {"kind": "contract"})
    assert {item.kind for item in contracts.context["page_obj"]} == {"contract"}
    assert contracts.context["matching"] == 14
    on_rowan = client.get(url, {"ward": "Rowan Ward"})
    assert on_rowan.context["matching"] == 6
    assert all("Due1" in item.title for item in on_rowan.context["page_obj"])
    cohort = f"{world.programme.title}: {world.cohort.name}"
    both = client.get(url, {"cohort": cohort, "kind": "review", "ward": "Rowan Ward"})
    assert both.context["matching"] == 2
    assert "2 of 42 match" in both.content.decode()


def test_a_filter_choice_not_offered_is_said_next_to_the_field(client_as, world):
    _grow(world, 3)
    response = client_as(Role.MANAGER).get(reverse("dashboards:due"), {"kind": "bogus", "ward": "Nowhere"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose one of the options in the list" in html
    assert response.context["matching"] == response.context["total"]  # shown unfiltered


def test_nobody_sees_another_persons_or_organisations_due_items(client_as, world):
    _grow(world, 4)
    outsider = client_as("outsider").get(reverse("dashboards:due"))
    assert not any("Due0" in item.title for item in outsider.context["page_obj"])
    assert "Rowan" not in outsider.content.decode() and world.cohort.name not in str(
        outsider.context["form"].fields["cohort"].choices
    )
    mentor = client_as(Role.MENTOR).get(reverse("dashboards:due"))  # mentors sign contracts too
    assert all(item.kind in ("contract", "evidence") for item in mentor.context["page_obj"])


@pytest.mark.parametrize(("role", "url_name"), [
    (Role.MANAGER, "dashboards:home"), (Role.MANAGER, "dashboards:due"),
    (Role.TRAINING_LEAD, "dashboards:home"), (Role.MENTOR, "dashboards:home"),
    (Role.LECTURER, "dashboards:home"), (Role.TRAINING_LEAD, "dashboards:due"),
])
def test_home_and_due_list_cost_the_same_at_5_and_15_trainees(client_as, world, role, url_name):
    client = client_as(role)
    url = reverse(url_name)
    _grow(world, 5)
    client.get(url)  # warm the content-type cache
    total_5, at_5, _ = _own_queries(client, url)
    _grow(world, 15)  # 45 things due: the home still shows 20 and the list a full page
    total_15, at_15, response = _own_queries(client, url)
    assert total_5 == total_15
    assert at_5 == at_15 == PINNED[(role, url_name)], (role, url_name)
    if role == Role.MANAGER:
        assert len(response.context["page_obj" if url_name == "dashboards:due" else "due_items"]) in (
            SHOWN_ON_HOME, DUE_PAGE_SIZE
        )


# The page's own queries (a query on the membership table counts as the middleware's).
# Due sources, on the full list: the trainees' reviews, contracts and study time cost two for the
# roles that sign (the visible cohort ids, the open enrolments); evidence one for mentors and
# leads; interviews one for everyone; milestones one for leads. On a home page each source
# counts and builds only its most urgent: the trainees' in one query (the database reads the
# visible cohorts' ids in it, counts each kind and sends only the rows of the first items:
# trainees.due.READ_IN_STATEMENT); the mentor's evidence and the
# lead's milestones count in the query that reads their first items (programmes.due.first_with_tallies);
# interviews count and read their first in one query too (evaluations.interviews.due). Then
# what the role's home adds: expiring competence (managers, mentors), the
# programmes (leads; people by role reads memberships), the taught cohorts (lecturers: their
# ids are the trainees source's cohort ids, and their figures are counted in its statement), the
# wards (managers); every home: the person's drafts, read in one query with the expiring
# competence and the wards (dashboards.views._read_beside: core.prepared.read_together).
PINNED = {
    # enrolments (with the cohort ids; 6 when they were a query of their own); interviews
    # counted; expiring, wards and drafts together (3 when they were a query each)
    (Role.MANAGER, "dashboards:home"): 3,
    (Role.MANAGER, "dashboards:due"): 3,  # cohort ids, enrolments, interviews
    # milestones; evidence; interviews counted; programmes, drafts; people by role (on the
    # membership table, it was counted as the middleware's until it became a prepared
    # statement's EXECUTE: the same statements as before)
    (Role.TRAINING_LEAD, "dashboards:home"): 6,
    # enrolments (with the cohort ids; 6 when they were a query of their own); evidence;
    # interviews counted; expiring and drafts together (2 when they were a query each)
    (Role.MENTOR, "dashboards:home"): 4,
    # cohorts (their ids), enrolments; interviews counted; drafts
    (Role.LECTURER, "dashboards:home"): 4,
    (Role.TRAINING_LEAD, "dashboards:due"): 3,  # milestones, evidence, interviews
}


# --- The home page's summary is the full list's head --------------------------------------------

def _manager_has_many_kinds_due(world) -> None:
    """16 managed trainees, no study time logged (16 study-time items), 6 contracts the manager
    has signed (10 to sign) and reviews spread around the edges: 7 reviews due, three of them on
    the same day (never reviewed), two more on the same day (the last day that counts as soon),
    one due today (not overdue) and one due yesterday (overdue)."""
    manager = world.person(Role.MANAGER)
    _grow(world, 16)
    today = timezone.localdate()
    held = (
        [None] * 3  # never reviewed: due 12 weeks after starting, long overdue
        + [today - REVIEW_INTERVAL - timedelta(days=1), today - REVIEW_INTERVAL]  # yesterday, today
        + [today - REVIEW_INTERVAL + REVIEW_SOON] * 2  # due on the last day that is soon
        + [today - REVIEW_INTERVAL + REVIEW_SOON + timedelta(days=1)]  # not yet: not due
        + [today - timedelta(days=7)] * 8  # reviewed last week: not due
    )
    for n, enrolment in enumerate(world.cohort.enrolments.order_by("pk")):
        if held[n]:
            trainee_services.review_record(enrolment=enrolment, actor=manager, held_on=held[n], notes="Fine.")
        if n % 3 == 0:
            trainee_services.contract_sign(
                contract=enrolment.contract, party="manager", user=manager, allowed_parties={"manager"}
            )


def _mentor_has_many_kinds_due(world) -> None:
    """6 mentees whose contracts the mentor has not signed, and 18 pieces of Sam's evidence
    waiting: most submitted today (due the same day), two on each side of the local midnight
    that makes them overdue, and three long overdue."""
    framework = make_framework(short_name="Care Certificate")
    competency = make_competency(framework, "Duty of care")
    make_profile(world.programme, [(competency, 1)])
    _grow(world, 6)
    waiting = [submit(world.trainee, [competency], title=f"Evidence {n:02d}") for n in range(18)]
    cutoff = timezone.make_aware(datetime.combine(timezone.localdate() - ASSESS_WITHIN, time.min))
    submitted = [cutoff, cutoff - timedelta(seconds=1), cutoff + timedelta(hours=1), cutoff - timedelta(hours=1)]
    submitted += [timezone.now() - timedelta(days=30)] * 3
    for evidence, at in zip(waiting[5:], submitted, strict=False):  # setting when it was submitted
        Evidence.objects.filter(pk=evidence.pk).update(updated_at=at)


def _membership(world, role):
    return Membership.objects.select_related("user").get(user=world.person(role), organisation=world.organisation)


@pytest.mark.parametrize(("role", "setup"), [
    (Role.MANAGER, _manager_has_many_kinds_due), (Role.MENTOR, _mentor_has_many_kinds_due),
])
def test_the_home_pages_most_urgent_are_the_first_of_the_full_list(client_as, world, role, setup):
    setup(world)
    client = client_as(role)
    home = client.get("/").context["due_items"]
    full = due_items_for(_membership(world, role))
    first_page = list(client.get(reverse("dashboards:due")).context["page_obj"])

    assert len(full) > SHOWN_ON_HOME
    assert home == full[:SHOWN_ON_HOME] == first_page[:SHOWN_ON_HOME]
    # What the order had to settle: several kinds, same-day ties, dated then undated.
    assert [item.kind for item in home] == HOME_KINDS[role]
    dated = [item.due for item in home if item.due]
    assert len(dated) > len(set(dated)) and dated == sorted(dated)


# Dated items first (reviews, evidence), then the undated in KIND_LABELS order.
HOME_KINDS = {
    Role.MANAGER: ["review"] * 7 + ["contract"] * 10 + ["study_time"] * 3,
    Role.MENTOR: ["evidence"] * 18 + ["contract"] * 2,
}


@pytest.mark.parametrize(("role", "setup"), [
    (Role.MANAGER, _manager_has_many_kinds_due), (Role.MENTOR, _mentor_has_many_kinds_due),
])
def test_the_home_pages_counts_are_those_of_the_full_list(client_as, world, role, setup):
    setup(world)
    due = client_as(role).get("/").context["due"]
    full = due_items_for(_membership(world, role))
    counted = Counter(item.kind for item in full)
    overdue = Counter(item.kind for item in full if item.overdue)

    assert [(c.kind, c.count, c.overdue) for c in due.counts] == [
        (kind, counted[kind], overdue[kind]) for kind in KIND_RANK if counted[kind]
    ]
    assert due.total == len(full)
    assert sum(overdue.values()) > 0  # the edges were tried: overdue and not


# --- A lecturer's home: the cohorts' figures and the preview come from one statement ------------

def _lecturer_teaches_cohorts_with_much_due(world) -> list:
    """The lecturer teaches the world's cohort and three more, started 20, 10 and 2 weeks ago
    (reviews overdue, due soon, not yet due), 9 trainees on each of the new ones: 27 contracts
    to sign but those the lecturer has signed (every third), and on the newest cohort nothing
    due at all (all signed), so that its figures come from rows that hold no item shown."""
    lead, lecturer = world.person(Role.TRAINING_LEAD), world.person(Role.LECTURER)
    today = timezone.localdate()
    cohorts = []
    for n, weeks in enumerate((20, 10, 2)):
        starts_on = today - timedelta(weeks=weeks)
        cohort = programme_services.cohort_create(
            programme=world.programme, name=f"Started {weeks} weeks ago", starts_on=starts_on,
            ends_on=today + timedelta(days=400), lecturers=[lecturer],
        )
        cohorts.append(cohort)
        for t in range(9):
            trainee = trainee_services.trainee_create(
                organisation=world.organisation, actor=lead, first_name=f"C{n}T{t}", last_name="Taught",
                employee_number=f"L{n}{t:02d}", clinical_area=world.ward,
            )
            enrolment = trainee_services.enrolment_create(
                trainee=trainee, cohort=cohort, actor=lead, enrolled_on=starts_on, status="active",
            )
            if weeks == 2 or t % 3 == 0:
                trainee_services.contract_sign(
                    contract=enrolment.contract, party="lecturer", user=lecturer, allowed_parties={"lecturer"},
                )
    return cohorts


def test_a_lecturers_home_shows_the_full_lists_head_counts_and_each_cohorts_figures(client_as, world):
    cohorts = _lecturer_teaches_cohorts_with_much_due(world)
    response = client_as(Role.LECTURER).get("/")
    full = due_items_for(_membership(world, Role.LECTURER))

    assert len(full) > SHOWN_ON_HOME
    assert response.context["due_items"] == full[:SHOWN_ON_HOME]
    counted, overdue = Counter(item.kind for item in full), Counter(item.kind for item in full if item.overdue)
    assert [(c.kind, c.count, c.overdue) for c in response.context["due"].counts] == [
        (kind, counted[kind], overdue[kind]) for kind in KIND_RANK if counted[kind]
    ]
    shown = {cohort.pk: cohort for cohort in response.context["cohorts"]}
    for cohort in [world.cohort, *cohorts]:
        where = f"{world.programme.title}: {cohort.name}"
        items = [item for item in full if item.cohort == where]
        figures = shown[cohort.pk]
        assert (figures.in_training, figures.reviews_due, figures.reviews_overdue, figures.contracts_to_sign) == (
            cohort.enrolments.filter(status="active").count(),
            sum(item.kind == "review" for item in items),
            sum(item.kind == "review" and item.overdue for item in items),
            sum(item.kind == "contract" for item in items),
        ), cohort.name
    newest = shown[cohorts[-1].pk]
    assert (newest.in_training, newest.reviews_due, newest.contracts_to_sign) == (9, 0, 0)
    assert shown[cohorts[0].pk].reviews_overdue == 9 and shown[cohorts[1].pk].reviews_due == 9


@pytest.mark.parametrize(("role", "setup"), [
    (Role.MANAGER, _manager_has_many_kinds_due), (Role.MENTOR, _mentor_has_many_kinds_due),
    (Role.LECTURER, _lecturer_teaches_cohorts_with_much_due),
])
def test_the_trainees_preview_is_the_head_of_their_full_list_at_any_length(world, role, setup):
    """The statement that picks the rows of the first n items (trainees.due._first_due) against
    the full list, on each side of each kind's edge."""
    setup(world)
    membership = _membership(world, role)
    full = sorted(trainee_due.due_for(membership), key=urgency)
    counted = Counter(item.kind for item in full)
    for n in sorted({1, 2, 3, 6, 7, 8, 9, 10, 16, 17, 18, 19, 20, len(full) - 1, len(full), len(full) + 1}):
        preview = trainee_due.preview_for(membership, n)
        assert preview.most_urgent == full[:n], n
        assert {kind: tally.count for kind, tally in preview.tallies.items() if tally.count} == counted
