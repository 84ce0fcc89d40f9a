"""The matrix page's rows (competencies.evidence.matrix): on PostgreSQL one statement writes
each row's cells as codes. They must say what selectors.progress_matrix's Cells say (the page's
generic path, SQLite's), in every state a cell can be in, for every role, filter and page; and
a cell drawn from its code is the cell drawn from its Cell."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.context import disable_auditlog
from django.utils import timezone

from competencies.evidence.matrix import _matrix_page_from_cells, cell_code, cell_of_code, matrix_columns, matrix_page
from competencies.evidence.selectors import progress_matrix
from competencies.evidence.views import _cell_html
from competencies.models import AttainmentDecision, Competency, CurrentAttainment, RoleProfileItem, SelfAssessment
from competencies.validity import expiring_window
from programmes.models import Role
from programmes.selectors import get_cohort_for
from trainees.selectors import wards_on_cohort

from .factories import TWO_LEVELS, make_scale
from .test_matrix import membership_of, populate

ROLES = (Role.TRAINING_LEAD, Role.MANAGER, Role.MENTOR, Role.LECTURER)


def every_state(world):
    """populate's cohort (9 trainees, 6 competencies) with, among its cells, each state a cell
    can be in: withdrawn, expired, expiring (on the first and the last of its days), just
    beyond expiring, below the target it was decided against, progress, nothing; self-ratings
    (two a pair: the newer counts) beside each of them; a trainee without a ward."""
    with disable_auditlog():
        people, comps = populate(world, trainees=8, competencies=6)
        today, now = timezone.localdate(), timezone.now()
        window = expiring_window()
        current = {(c.trainee_id, c.competency_id): c for c in CurrentAttainment.objects.all()}

        def valid_until(trainee, competency, day, **more):
            decision = current[(trainee.pk, competency.pk)].decision_id
            AttainmentDecision.objects.filter(pk=decision).update(valid_until=day, **more)

        AttainmentDecision.objects.create(
            trainee=people[0], competency=comps[0], kind=AttainmentDecision.Kind.WITHDRAWN, level=None,
            decided_at=now, comment="Withdrawn after an incident",
        )
        # populate's trainee i reaches (i + j) % 4 in competency j against a target of 2: each
        # pair below at the target, so only its dates (or kind, or target then) decide.
        valid_until(people[1], comps[1], today - timedelta(days=1))  # expired yesterday
        valid_until(people[2], comps[0], today)  # its last valid day: expiring
        valid_until(people[3], comps[3], today + window)  # the first day of expiring
        valid_until(people[4], comps[2], today + window + timedelta(days=1))  # not yet expiring
        valid_until(people[5], comps[1], today + timedelta(days=5), target_level=3)  # below its target then
        valid_until(people[6], comps[0], today + timedelta(days=5), kind=AttainmentDecision.Kind.PROGRESS)
        rated = [(people[0], comps[0]), (people[1], comps[1]), (people[2], comps[0]), (people[5], comps[1]),
                 (world.trainee, comps[1])]
        for i, (trainee, competency) in enumerate(rated):
            for level, submitted_at in ((3, now - timedelta(days=2)), (i % 3, now)):
                SelfAssessment.objects.create(
                    trainee=trainee, competency=competency, level=level, submitted_at=submitted_at,
                )
        people[7].clinical_area = None
        people[7].save()
        # Two competencies with scales of their own (the columns name the target from it, not
        # the framework's): one with names of its own, one too short for the target of 2.
        named = make_scale([{"name": n, "proficient": n == "Expert"} for n in ("Novice", "Able", "Expert", "Master")])
        Competency.objects.filter(pk=comps[4].pk).update(scale=named)
        Competency.objects.filter(pk=comps[5].pk).update(scale=make_scale(TWO_LEVELS))
        # Targets other than populate's 2: a level of 1 meets one column's, not another's.
        RoleProfileItem.objects.filter(competency=comps[0]).update(target_level=1)
        RoleProfileItem.objects.filter(competency=comps[1]).update(target_level=3)
    return people, comps


@pytest.mark.parametrize("role", ROLES)
def test_the_statement_writes_what_progress_matrix_says(world, role):
    every_state(world)
    membership = membership_of(world, role)
    cohort = get_cohort_for(membership=membership, pk=world.cohort.pk)
    seen = set()
    for kind in (None, "core", "role_specific"):
        for ward_id in (None, world.ward.pk):
            columns = matrix_columns(cohort.programme_id, kind)
            wards = [(w.pk, w.name) for w in wards_on_cohort(membership=membership, cohort=cohort)]
            for page in (1, 2, 3, "99", "0", "x"):
                asked = {"cohort": cohort, "membership": membership, "kind": kind, "ward_id": ward_id,
                         "page": page, "per_page": 4}
                fast = matrix_page(**asked)
                generic = _matrix_page_from_cells(
                    cohort, membership, kind, ward_id, page, 4, columns,
                )
                assert fast.rows == generic.rows, (kind, ward_id, page)
                assert fast.met_counts == generic.met_counts
                assert fast.columns == generic.columns
                assert [(w.pk, w.name) for w in fast.wards] == [(w.pk, w.name) for w in generic.wards] == wards
                assert (fast.page_obj.number, fast.trainee_count) == (generic.page_obj.number, generic.trainee_count)
                seen |= {code for row in fast.rows for code in row.cells.split(",")}
    if role == Role.TRAINING_LEAD:  # every state, and a self-rating beside each of them
        # The targets named from each competency's scale (the framework's, its own, a level its own lacks).
        named = [column.target_name for column in matrix_columns(cohort.programme_id, None)]
        assert named[3:] == ["Level 3", "Expert", "Level 3"]
        assert {code[0] for code in seen} == {"n", "w", "x", "c", "e"}
        assert {code[0] for code in seen if "s" in code} == {"n", "w", "x", "c", "e"}


def test_a_cell_drawn_from_its_code_is_the_cell_drawn_from_its_cell(world):
    every_state(world)
    matrix = progress_matrix(cohort=world.cohort, membership=membership_of(world, Role.TRAINING_LEAD))
    cells = [cell for row in matrix.rows for cell in row.cells]
    assert {cell.status for cell in cells} == {"", "withdrawn", "expired", "expiring", "current", "below_target"}
    for cell in cells:
        drawn = _cell_html(cell.status, cell.reached, cell.target, cell.met, cell.self_rated)
        assert _cell_html(*cell_of_code(cell_code(cell), cell.target)) == drawn, cell


def test_the_page_counts_everyone_and_settles_on_the_page_django_would(world):
    every_state(world)  # 9 trainees: pages of 4, 4 and 1
    membership = membership_of(world, Role.TRAINING_LEAD)
    cohort = get_cohort_for(membership=membership, pk=world.cohort.pk)
    for asked, number, rows in ((None, 1, 4), ("2", 2, 4), ("3", 3, 1), ("4", 3, 1), ("0", 3, 1), ("x", 1, 4)):
        page = matrix_page(cohort=cohort, membership=membership, kind=None, ward_id=None, page=asked, per_page=4)
        assert (page.page_obj.number, len(page.rows), page.trainee_count) == (number, rows, 9)
        assert page.page_obj.elided_range == [1, 2, 3]
