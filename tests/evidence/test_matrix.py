"""The cohort progress matrix: correct cells and totals, scoped rows, and a query count that
does not grow with trainees x competencies."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.context import disable_auditlog
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.evidence.selectors import MATRIX_PAGE_SIZE, progress_matrix
from competencies.models import RoleProfileItem
from programmes import services as programme_services
from programmes.models import Membership, Role
from trainees import services as trainee_services

from .factories import FOUR_LEVELS, make_competency, make_framework, make_profile, sign_off, submit

# A page of the matrix, whatever its size, costs these queries of its own: the cohort
# (get_cohort_for) and competencies.evidence.matrix.matrix_page's one (the page's rows with the
# count of trainees, each row's cells, the met totals over everyone, the role profile's
# columns and the wards for the filter, all worked out by the database);
# the cohort came from get_cohort_for, so neither asks for the visible cohort ids
# (enrolments_on_cohort). Around them the project's middleware reads and saves the session,
# the user and their memberships: counted in the total, which must be the same at both
# sizes, but not pinned here, since they belong to other features.
MATRIX_PAGE_QUERIES = 2
PLUMBING = (
    'FROM "django_session"', 'UPDATE "django_session"', 'FROM "auth_user"',
    'FROM "programmes_membership"', "SAVEPOINT",
)
MATRIX_SELECTOR_QUERIES = 6


def populate(world, *, trainees: int, competencies: int):
    """``trainees`` more trainees on the world's cohort (mentored by the mentor, managed by the
    manager, on two wards), against a profile of ``competencies`` (target Level 3), each with
    one piece of signed-off evidence: trainee i reaches level (i + j) % 4 in competency j.

    Through the services, but without the audit log: it is not what these tests are about, and
    it doubles the time the larger size takes to build."""
    with disable_auditlog():
        return _populate(world, trainees=trainees, competencies=competencies)


def _populate(world, *, trainees: int, competencies: int):
    lead, mentor = world.person(Role.TRAINING_LEAD), world.person(Role.MENTOR)
    framework = make_framework(short_name="Trust AP framework", levels=FOUR_LEVELS)
    comps = [make_competency(framework, f"Skill {j}", id_number=f"S{j:02d}") for j in range(competencies)]
    kinds = (RoleProfileItem.Kind.CORE, RoleProfileItem.Kind.ROLE_SPECIFIC)
    make_profile(world.programme, [(c, 2, kinds[j % 2]) for j, c in enumerate(comps)])
    other_ward = programme_services.clinical_area_ensure(organisation=world.organisation, name="Oak Ward")
    people = []
    for i in range(trainees):
        trainee = trainee_services.trainee_create(
            organisation=world.organisation, actor=lead, first_name=f"T{i:03d}", last_name="Matrix",
            employee_number=f"M{i:04d}", mentor=mentor, line_manager=world.person(Role.MANAGER),
            clinical_area=world.ward if i % 2 == 0 else other_ward,
        )
        trainee_services.enrolment_create(
            trainee=trainee, cohort=world.cohort, actor=lead, enrolled_on=date(2026, 1, 5), status="active"
        )
        evidence = submit(trainee, comps, actor=lead, title=f"Portfolio {i}")
        sign_off(evidence, {c.pk: (i + j) % 4 for j, c in enumerate(comps)}, assessor=mentor)
        people.append(trainee)
    return people, comps


def membership_of(world, role):
    return Membership.objects.select_related("user").get(
        user=world.person(role), organisation=world.organisation, role=role
    )


def test_cells_and_totals_are_right(world):
    people, comps = populate(world, trainees=3, competencies=4)
    matrix = progress_matrix(cohort=world.cohort, membership=membership_of(world, Role.TRAINING_LEAD))

    # world.trainee (no evidence) plus the three; rows by name.
    names = [row.trainee.first_name for row in matrix.rows]
    assert names == ["T000", "T001", "T002", "Sam"]
    by_pk = {row.trainee.pk: row for row in matrix.rows}
    for i, trainee in enumerate(people):
        row = by_pk[trainee.pk]
        assert [c.reached for c in row.cells] == [(i + j) % 4 for j in range(4)]
        assert [c.met for c in row.cells] == [(i + j) % 4 >= 2 for j in range(4)]
        assert row.met_count == sum((i + j) % 4 >= 2 for j in range(4))
    cell = by_pk[people[1].pk].cells[1]
    assert (cell.reached_name, cell.target_name, cell.met) == ("Level 3", "Level 3", True)
    empty = by_pk[world.trainee.pk]
    assert [c.reached for c in empty.cells] == [None] * 4 and empty.met_count == 0
    assert empty.cells[0].reached_name == "None yet"
    assert [column.met_count for column in matrix.columns] == [
        sum((i + j) % 4 >= 2 for i in range(3)) for j in range(4)
    ]
    assert (matrix.trainee_count, matrix.competency_count) == (4, 4)


def test_filters_by_kind_and_ward(world):
    people, comps = populate(world, trainees=4, competencies=4)
    lead = membership_of(world, Role.TRAINING_LEAD)
    core = progress_matrix(cohort=world.cohort, membership=lead, kind="core")
    assert [c.competency.pk for c in core.columns] == [comps[0].pk, comps[2].pk]
    larch = progress_matrix(cohort=world.cohort, membership=lead, ward=world.ward)
    assert {r.trainee.pk for r in larch.rows} == {world.trainee.pk, people[0].pk, people[2].pk}


def test_the_page_filters_by_a_ward_of_the_cohort_and_refuses_any_other(client_as, world):
    populate(world, trainees=4, competencies=2)  # Larch: world.trainee and two of them
    elsewhere = programme_services.clinical_area_ensure(organisation=world.organisation, name="Elm Ward")
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("evidence:matrix", kwargs={"cohort_pk": world.cohort.pk})
    html = client.get(url, {"ward": world.ward.pk, "kind": "core"}).content.decode()
    assert html.count('data-testid="matrix-row"') == 3
    assert "nhsuk-error-message" not in html
    assert html.count('<option value="') == 3 + 3  # the kinds, and all wards, Larch and Oak
    # A ward nobody on the cohort works on, or none at all: the form says so; everyone shown.
    for ward in (elsewhere.pk, "0", "007", "x", "9" * 30):
        html = client.get(url, {"ward": ward, "kind": "core"}).content.decode()
        assert html.count('data-testid="matrix-row"') == 5, ward
        assert html.count('class="nhsuk-error-message"') == 1, ward
        assert html.count("ladder-matrix__competency") == 2, ward  # both kinds: the form refused both


def test_a_manager_and_a_mentor_see_only_their_own_trainees(world):
    populate(world, trainees=2, competencies=2)
    lead = world.person(Role.TRAINING_LEAD)
    outsider_trainee = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name="Not", last_name="Theirs",
        employee_number="X1",
    )
    trainee_services.enrolment_create(trainee=outsider_trainee, cohort=world.cohort, actor=lead, status="active")

    for role in (Role.MANAGER, Role.MENTOR):
        rows = progress_matrix(cohort=world.cohort, membership=membership_of(world, role)).rows
        assert outsider_trainee.pk not in {r.trainee.pk for r in rows}
        assert len(rows) == 3
    lead_rows = progress_matrix(cohort=world.cohort, membership=membership_of(world, Role.TRAINING_LEAD)).rows
    assert outsider_trainee.pk in {r.trainee.pk for r in lead_rows}


def test_the_page_shows_reached_over_target_with_a_marker_in_text(client_as, world):
    people, comps = populate(world, trainees=2, competencies=2)
    page = client_as(Role.LECTURER).get(reverse("evidence:matrix", kwargs={"cohort_pk": world.cohort.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    thin = "\u2009/\u2009"  # thin spaces, written as characters
    # T000 reaches level index 0 then 1 against target index 2: "1 / 3" and "2 / 3", not met.
    assert (
        f'<td class="ladder-matrix__cell--below">1{thin}3 <span aria-hidden="true">\u2717</span>'
        '<span class="nhsuk-u-visually-hidden">, not met</span></td>'
    ) in html
    # T001 in S01: (1 + 1) % 4 = 2, the target: met.
    assert (
        f'<td class="ladder-matrix__cell--met">3{thin}3 <span aria-hidden="true">\u2713</span>'
        '<span class="nhsuk-u-visually-hidden">, met</span></td>'
    ) in html
    # world.trainee has nothing signed off.
    assert f'nothing signed off</span>{thin}3<span class="nhsuk-u-visually-hidden">, not met</span>' in html
    assert html.count('data-testid="matrix-row"') == 3
    assert "target Level 3" in html  # the column headers name the target


@pytest.mark.parametrize(("trainees", "competencies"), [(5, 6), (15, 12)], ids=["5x6", "15x12"])
def test_the_matrix_costs_the_same_queries_at_any_size(client_as, world, trainees, competencies):
    populate(world, trainees=trainees, competencies=competencies)
    lead = membership_of(world, Role.TRAINING_LEAD)
    with CaptureQueriesContext(connection) as queries:
        matrix = progress_matrix(cohort=world.cohort, membership=lead)
    assert len(queries) == MATRIX_SELECTOR_QUERIES  # cohort ids, enrolments, items, attainment, self-ratings, totals
    assert (matrix.trainee_count, matrix.competency_count) == (trainees + 1, competencies)

    client = client_as(Role.TRAINING_LEAD)
    url = reverse("evidence:matrix", kwargs={"cohort_pk": world.cohort.pk})
    client.get(url)  # the first request warms the content-type and session caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="matrix-row"') == min(trainees + 1, MATRIX_PAGE_SIZE)
    own = [q["sql"] for q in queries.captured_queries if not any(p in q["sql"] for p in PLUMBING)]
    assert len(own) == MATRIX_PAGE_QUERIES, "\n".join(sql[:150] for sql in own)
    QUERY_TOTALS[(trainees, competencies)] = len(queries)
    if len(QUERY_TOTALS) == 2:  # both sizes have run (in this process): the same in all
        assert len(set(QUERY_TOTALS.values())) == 1, QUERY_TOTALS


QUERY_TOTALS: dict[tuple[int, int], int] = {}


def test_the_matrix_pages_trainees_and_counts_totals_over_everyone(client_as, world):
    populate(world, trainees=30, competencies=3)  # 31 trainees: 25 on page 1, 6 on page 2
    lead = membership_of(world, Role.TRAINING_LEAD)
    whole = progress_matrix(cohort=world.cohort, membership=lead)
    first = progress_matrix(cohort=world.cohort, membership=lead, page=1, per_page=MATRIX_PAGE_SIZE)
    second = progress_matrix(cohort=world.cohort, membership=lead, page=2, per_page=MATRIX_PAGE_SIZE)
    assert [len(first.rows), len(second.rows)] == [25, 6]
    assert first.trainee_count == second.trainee_count == whole.trainee_count == 31
    assert [r.trainee for r in first.rows + second.rows] == [r.trainee for r in whole.rows]
    # The totals per competency count every trainee, from the database, on every page; they
    # agree with counting the cells of the whole matrix.
    by_cells = [sum(row.cells[j].met for row in whole.rows) for j in range(3)]
    assert [c.met_count for c in first.columns] == [c.met_count for c in second.columns] == by_cells
    assert any(by_cells)

    client = client_as(Role.TRAINING_LEAD)
    url = reverse("evidence:matrix", kwargs={"cohort_pk": world.cohort.pk})
    html = client.get(url, {"page": 2}).content.decode()
    assert html.count('data-testid="matrix-row"') == 6
    assert "trainees 26 to 31, page 2 of 2" in html
    assert 'aria-label="Pagination"' in html
    html = client.get(url, {"page": "99"}).content.decode()  # out of range: the last page
    assert html.count('data-testid="matrix-row"') == 6
