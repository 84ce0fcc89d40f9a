"""Attainment: the current version (a lower later sign-off is evidence only), in one query."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies.evidence import services
from competencies.evidence.selectors import attainment_for
from competencies.models import Competency, Evidence
from programmes.models import Role
from trainees.models import Trainee

from .factories import sign_off, submit


def _signed_on(evidence, day: date) -> None:
    # The sign-off date drives reassessment; tests set it without waiting for the calendar.
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    Evidence.objects.filter(pk=evidence.pk).update(assessed_at=moment)
    services.decisions_backdate(evidence=evidence, decided_at=moment)


def test_attainment_is_the_highest_level_of_signed_off_evidence_only(world, frameworks):
    t, esc, obs = world.trainee, frameworks.escalation, frameworks.observations
    first = sign_off(submit(t, [esc, obs], title="First"), {esc.pk: 1, obs.pk: 0})
    _signed_on(first, date(2026, 3, 1))
    best = sign_off(submit(t, [esc], title="Best"), {esc.pk: 3})
    _signed_on(best, date(2026, 4, 1))
    lower_later = sign_off(submit(t, [esc], title="Lower, later"), {esc.pk: 2})
    _signed_on(lower_later, date(2026, 5, 1))
    # Waiting and returned evidence count for nothing, whatever it claims.
    submit(t, [obs], title="Waiting")
    returned = submit(t, [obs], title="Returned")
    services.evidence_return(evidence=returned, assessor=world.person(Role.MENTOR), comment="Redo")

    result = attainment_for([t], [esc, obs])

    assert {k: (v.level, v.signed_off_on, v.status) for k, v in result.items()} == {
        (t.pk, esc.pk): (3, date(2026, 4, 1), "current"),
        # Below the target (1, "Competent"): attained at that level, never "signed off".
        (t.pk, obs.pk): (0, date(2026, 3, 1), "below_target"),
    }
    assert result[(t.pk, esc.pk)].meets(2) and not result[(t.pk, obs.pk)].meets(1)


def test_the_latest_sign_off_at_the_highest_level_gives_the_date(world, frameworks):
    esc = frameworks.escalation
    old = sign_off(submit(world.trainee, [esc], title="Old"), {esc.pk: 2})
    _signed_on(old, date(2025, 1, 10))
    again = sign_off(submit(world.trainee, [esc], title="Reassessed"), {esc.pk: 2})
    _signed_on(again, date(2026, 2, 10))
    assert attainment_for([world.trainee.pk], [esc.pk])[(world.trainee.pk, esc.pk)].signed_off_on == date(2026, 2, 10)


def test_attainment_is_one_query_for_querysets_or_lists(world, frameworks):
    sign_off(submit(world.trainee, [frameworks.observations]), {frameworks.observations.pk: 1})
    with CaptureQueriesContext(connection) as queries:
        from_querysets = attainment_for(
            Trainee.objects.filter(organisation=world.organisation), Competency.objects.all()
        )
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        from_lists = attainment_for([world.trainee], [frameworks.observations.pk, frameworks.escalation.pk])
    assert len(queries) == 1
    assert from_querysets == from_lists
    with CaptureQueriesContext(connection) as queries:
        assert attainment_for([], [frameworks.observations]) == {}
    assert len(queries) == 0


def test_the_day_decided_is_the_local_day_in_the_matrix_and_the_portfolio(world, frameworks):
    """23:30 UTC on 1 July is 00:30 on 2 July in London: the database works the day out for
    attainment_for, Python for the portfolio, and both say 2 July."""
    from competencies.evidence.selectors import portfolio_for

    t, esc = world.trainee, frameworks.escalation
    evidence = sign_off(submit(t, [esc]), {esc.pk: 2})
    services.decisions_backdate(evidence=evidence, decided_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    assert attainment_for([t], [esc])[(t.pk, esc.pk)].signed_off_on == date(2026, 7, 2)
    [entry] = [e for e in portfolio_for(trainee=t).profile + portfolio_for(trainee=t).other if e.competency == esc]
    assert entry.signed_off_on == date(2026, 7, 2)
