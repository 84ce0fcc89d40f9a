"""The check that competencies.CurrentAttainment (kept by triggers) says what the decisions
say: for every pair, the newest decision that is not a self-rating, with its facts. Worked out
here in Python from every decision, independently of the triggers' SQL. Shared by the tests on
PostgreSQL and the embedded default's check on SQLite (tests/test_embedded_default.py)."""

from __future__ import annotations

FACTS = ("decision_id", "kind", "level", "target_level", "decided_at", "valid_until")


def expected() -> dict[tuple[int, int], tuple]:
    from competencies.models import AttainmentDecision

    newest: dict[tuple[int, int], tuple] = {}
    rows = AttainmentDecision.objects.exclude(kind=AttainmentDecision.Kind.SELF_RATED).values_list(
        "trainee_id", "competency_id", "pk", "kind", "level", "target_level", "decided_at", "valid_until"
    )
    for trainee_id, competency_id, *facts in rows:
        key = (trainee_id, competency_id)
        # Newest by the moment decided, then by id (as every reader orders them).
        if key not in newest or (facts[4], facts[0]) > (newest[key][4], newest[key][0]):
            newest[key] = tuple(facts)
    return newest


def stored() -> dict[tuple[int, int], tuple]:
    from competencies.models import CurrentAttainment

    return {
        (trainee_id, competency_id): tuple(facts)
        for trainee_id, competency_id, *facts in CurrentAttainment.objects.values_list(
            "trainee_id", "competency_id", *FACTS
        )
    }


def mismatches() -> dict[tuple[int, int], tuple]:
    """{pair: (expected, stored)} wherever they differ (a pair missing on one side: None)."""
    want, have = expected(), stored()
    return {
        key: (want.get(key), have.get(key))
        for key in want.keys() | have.keys()
        if want.get(key) != have.get(key)
    }
