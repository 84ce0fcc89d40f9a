"""trainees.EnrolmentFigures: the figures the database keeps for each enrolment (last review,
hours taken, who has signed) are always those the subqueries work out from the enrolment's
reviews, study sessions and signatures, whatever wrote them: the services, queryset updates
and deletions, bulk_create, a cascade (migration 0004's triggers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from programmes.models import Role
from trainees import services
from trainees.models import (
    ContractSignature,
    Enrolment,
    EnrolmentFigures,
    LearningContract,
    ProgressReview,
    StudySession,
)
from trainees.selectors import signers_of, with_hours_taken, with_kept_figures, with_last_review, with_signers

from .helpers import add_history, add_trainee

FIELDS = ("pk", "last_review_on", "hours_taken", "signers")


def _figures(rows) -> dict[int, tuple]:
    return {row["pk"]: (row["last_review_on"], row["hours_taken"], signers_of(row["signers"])) for row in rows}


def assert_kept():
    """Every enrolment's kept figures are those worked out from its rows."""
    enrolments = Enrolment.objects.order_by()
    kept = _figures(with_kept_figures(enrolments).values(*FIELDS))
    worked_out = _figures(with_signers(with_hours_taken(with_last_review(enrolments))).values(*FIELDS))
    assert kept == worked_out
    return kept


def _sign(world, enrolment, party, role):
    services.contract_sign(
        contract=LearningContract.objects.get(enrolment=enrolment), party=party, user=world.person(role),
        allowed_parties={party},
    )


def test_the_figures_follow_every_write_to_reviews_sessions_and_signatures(world):
    assert_kept()
    _, second = add_trainee(world, line_manager=world.person(Role.MANAGER))
    add_history(world, world.enrolment, sessions=3, reviews=2)
    add_history(world, second, sessions=2, reviews=1)
    _sign(world, world.enrolment, LearningContract.Party.MANAGER, Role.MANAGER)
    _sign(world, world.enrolment, LearningContract.Party.TRAINEE, Role.TRAINEE)
    kept = assert_kept()
    assert kept[world.enrolment.pk] == (date(2026, 3, 3), Decimal("7.0"), {"manager", "trainee"})

    # Queryset updates: a review's date, a session's outcome, a session moved to another enrolment.
    ProgressReview.objects.filter(enrolment=world.enrolment, held_on=date(2026, 3, 2)).update(held_on=date(2026, 4, 1))
    first_taken = StudySession.objects.filter(enrolment=world.enrolment, outcome="taken").order_by("pk").first()
    StudySession.objects.filter(pk=first_taken.pk).update(outcome="lost", lost_reason="sickness")
    last_taken = StudySession.objects.filter(enrolment=world.enrolment, outcome="taken").get()
    StudySession.objects.filter(pk=last_taken.pk).update(enrolment=second)
    kept = assert_kept()
    assert kept[world.enrolment.pk] == (date(2026, 4, 1), Decimal(0), {"manager", "trainee"})
    assert kept[second.pk][1] == Decimal("7.0")

    # Many at once, and deletions.
    StudySession.objects.bulk_create([
        StudySession(enrolment=enrolment, date=date(2026, 5, 4), hours=Decimal("1.5"))
        for enrolment in (world.enrolment, second, world.other_enrolment)
    ])
    ContractSignature.objects.filter(contract__enrolment=world.enrolment, party="trainee").delete()
    ProgressReview.objects.filter(enrolment=second).delete()
    kept = assert_kept()
    assert kept[world.enrolment.pk] == (date(2026, 4, 1), Decimal("1.5"), {"manager"})
    assert kept[second.pk][0] is None


def test_an_enrolment_with_none_of_those_rows_has_no_figures_kept(world):
    add_history(world, world.enrolment, sessions=2, reviews=1)
    _sign(world, world.enrolment, LearningContract.Party.MANAGER, Role.MANAGER)
    assert EnrolmentFigures.objects.filter(enrolment=world.enrolment).exists()
    StudySession.objects.filter(enrolment=world.enrolment).delete()
    ProgressReview.objects.filter(enrolment=world.enrolment).delete()
    ContractSignature.objects.filter(contract__enrolment=world.enrolment).delete()
    assert not EnrolmentFigures.objects.filter(enrolment=world.enrolment).exists()
    assert_kept()


def test_deleting_an_enrolment_leaves_no_figures_behind(world):
    _, second = add_trainee(world)
    add_history(world, second, sessions=2, reviews=2)
    _sign(world, second, LearningContract.Party.TRAINEE, Role.TRAINEE)
    assert EnrolmentFigures.objects.filter(enrolment=second).exists()
    second.delete()  # Django deletes its reviews, sessions, contract and signatures first
    assert not EnrolmentFigures.objects.filter(enrolment_id=second.pk).exists()
    assert_kept()
