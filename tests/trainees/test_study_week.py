"""The ward week: a manager logs their trainees' protected study time, Monday to Friday,
taken or lost with the reason, in one save; a mistake anywhere saves nothing and keeps
everything typed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import Membership, Role
from trainees import study_week
from trainees.models import StudySession

from .helpers import add_trainee

URL = reverse("trainees:study_week")


def _last_full_week() -> date:
    return study_week.week_of(timezone.localdate()) - timedelta(weeks=1)


def test_a_manager_logs_two_trainees_week_in_one_save(client_as, world):
    other, enrolment = add_trainee(world, employee_number="E2002", line_manager=world.person(Role.MANAGER))
    monday = _last_full_week()
    client = client_as(Role.MANAGER)
    page = client.get(URL, {"week": monday.isoformat()})
    assert [row.enrolment.trainee.full_name for row in page.context["rows"]] == [
        "Nobody Managed", "Sam Trainee"]
    s, o = world.enrolment.pk, enrolment.pk
    response = client.post(URL, {
        "week": monday.isoformat(),
        f"s-{s}-0-hours": "3.5", f"s-{s}-0-outcome": "taken",
        f"s-{s}-2-hours": "3.5", f"s-{s}-2-outcome": "lost:ward_staffing",
        f"s-{o}-1-hours": "7.5", f"s-{o}-1-outcome": "taken",
    })
    assert response.status_code == 302
    logged = sorted(StudySession.objects.values_list("enrolment_id", "date", "hours", "outcome", "lost_reason"))
    assert logged == sorted([
        (s, monday, Decimal("3.5"), "taken", ""),
        (s, monday + timedelta(days=2), Decimal("3.5"), "lost", "ward_staffing"),
        (o, monday + timedelta(days=1), Decimal("7.5"), "taken", ""),
    ])
    assert all(r == world.person(Role.MANAGER).pk for r in StudySession.objects.values_list("recorded_by", flat=True))
    after = client.get(response["Location"]).content.decode()
    assert "3 sessions of study time logged" in after
    assert "3.5 h lost (ward staffing)" in after


def test_a_mistake_in_one_cell_saves_nothing_and_keeps_what_was_typed(client_as, world):
    monday = _last_full_week()
    s = world.enrolment.pk
    response = client_as(Role.MANAGER).post(URL, {
        "week": monday.isoformat(),
        f"s-{s}-0-hours": "3.5", f"s-{s}-0-outcome": "taken",
        f"s-{s}-1-hours": "30", f"s-{s}-1-outcome": "taken",
        f"s-{s}-3-hours": "2", f"s-{s}-3-outcome": "",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sam Trainee, Tuesday: hours must be between 0.5 and 24" in body
    assert "Sam Trainee, Thursday: select taken or lost" in body
    assert 'value="30"' in body and 'value="3.5"' in body  # nothing typed is lost
    assert not StudySession.objects.exists()


def test_only_the_managers_own_trainees_are_offered(client_as, world):
    add_trainee(world, employee_number="E2003")  # managed by nobody
    page = client_as(Role.MANAGER).get(URL)
    assert [row.enrolment.trainee.full_name for row in page.context["rows"]] == ["Sam Trainee"]


@pytest.mark.parametrize("size", [5, 15])
def test_the_week_costs_two_queries_whatever_the_number_of_trainees(world, django_assert_num_queries, size):
    manager = world.person(Role.MANAGER)
    for n in range(size):
        add_trainee(world, employee_number=f"W{n:04d}", line_manager=manager)
    membership = Membership.objects.get(user=manager)
    # 1 the enrolments with trainee, ward and cohort; 2 that week's sessions.
    with django_assert_num_queries(2):
        rows = study_week.build_rows(
            study_week.week_enrolments(membership=membership, monday=_last_full_week()), _last_full_week())
    assert len(rows) == size + 1
