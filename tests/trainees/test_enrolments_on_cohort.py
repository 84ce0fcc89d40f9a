"""enrolments_on_cohort: the enrolments of a cohort that enrolments_visible_to gives, for every
role, without asking again which cohorts the person sees when get_cohort_for has just said."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from programmes.models import Cohort, Membership, Role
from programmes.selectors import get_cohort_for
from trainees import selectors

from .helpers import add_trainee

pytestmark = pytest.mark.django_db


def _membership(world, role) -> Membership:
    return Membership.objects.get(user=world.person(role), organisation=world.organisation, role=role)


@pytest.mark.parametrize("role", Role.values)
def test_it_gives_what_enrolments_visible_to_gives_on_the_cohort(world, role):
    add_trainee(world)  # managed and mentored by nobody
    membership = _membership(world, role)
    expected = set(selectors.enrolments_visible_to(membership=membership).filter(cohort=world.cohort))
    try:
        cohort = get_cohort_for(membership=membership, pk=world.cohort.pk)
    except Http404:  # not a cohort this role sees: then nothing of it, loaded any other way
        assert not expected
        assert not selectors.enrolments_on_cohort(membership=membership, cohort=world.cohort).exists()
        return
    with CaptureQueriesContext(connection) as queries:
        found = set(selectors.enrolments_on_cohort(membership=membership, cohort=cohort))
    assert found == expected
    assert len(queries) == 1  # the enrolments: the cohort is known to be visible


def test_a_cohort_not_checked_for_this_person_is_checked_again(world):
    lecturer = _membership(world, Role.LECTURER)
    lead = _membership(world, Role.TRAINING_LEAD)
    seen_by_the_lead = get_cohort_for(membership=lead, pk=world.cohort.pk)
    world.cohort.lecturers.clear()  # the lecturer no longer teaches it
    assert not selectors.enrolments_on_cohort(membership=lecturer, cohort=seen_by_the_lead).exists()
    loaded = Cohort.objects.get(pk=world.other_cohort.pk)  # another organisation's
    assert not selectors.enrolments_on_cohort(membership=lead, cohort=loaded).exists()
