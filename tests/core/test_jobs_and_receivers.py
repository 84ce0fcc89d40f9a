"""Jobs are published only once the transaction that asked for them commits, and a
receiver that fails is loud under tests, logged otherwise."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from core.jobs import QueueUnavailable, enqueue_on_commit
from core.receivers import receiver_guard


class RecordingTask:
    """Stands in for a Celery task's publish, to see *when* it is called."""

    def __init__(self, fail: Exception | None = None):
        self.published: list[list] = []
        self.options: list[dict] = []
        self.fail = fail

    def apply_async(self, *, args, **options):
        self.options.append(options)
        if self.fail:
            raise self.fail
        self.published.append(args)


@pytest.mark.django_db(transaction=True)
def test_a_job_is_published_only_after_the_outer_transaction_commits():
    task = RecordingTask()
    with transaction.atomic():
        with transaction.atomic():
            enqueue_on_commit(task, args=[7], what="job 7", unavailable_message="down",
                              on_unavailable=lambda: None)
        assert task.published == []
    assert task.published == [[7]]
    assert task.options == [{"retry": False}]  # the person hears at once that the queue is down


@pytest.mark.django_db(transaction=True)
def test_a_job_may_ask_for_its_publish_to_be_retried_first():
    task = RecordingTask()
    policy = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
    enqueue_on_commit(task, args=[6], what="job 6", unavailable_message="down",
                      on_unavailable=lambda: None, retry_policy=policy)
    assert task.published == [[6]]
    assert task.options == [{"retry": True, "retry_policy": policy}]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_request_publishes_nothing():
    task = RecordingTask()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(task, args=[8], what="job 8", unavailable_message="down",
                          on_unavailable=lambda: None)
        raise RuntimeError("the caller failed after asking")
    assert task.published == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failure", [ConnectionError("refused"), RuntimeError("Acquire on closed pool")])
def test_any_failure_to_publish_is_recorded_and_said_as_the_queue_unavailable(failure):
    task = RecordingTask(fail=failure)
    recorded = []
    with pytest.raises(QueueUnavailable, match="The queue is down"):
        enqueue_on_commit(task, args=[9], what="job 9", unavailable_message="The queue is down",
                          on_unavailable=lambda: recorded.append(9))
    assert recorded == [9]


def test_a_failing_receiver_is_raised_under_tests(settings):
    settings.RECEIVERS_RAISE = True
    with pytest.raises(ZeroDivisionError), receiver_guard("dividing"):
        1 / 0  # noqa: B018


def test_a_failing_receiver_is_logged_not_raised_in_production(settings, caplog):
    settings.RECEIVERS_RAISE = False
    with caplog.at_level(logging.ERROR, logger="core.receivers"), receiver_guard("dividing"):
        1 / 0  # noqa: B018
    assert "dividing failed" in caplog.text and "ZeroDivisionError" in caplog.text


def test_receivers_raise_under_the_test_settings():
    from django.conf import settings

    assert settings.RECEIVERS_RAISE is True


def test_every_receiver_of_an_after_commit_signal_runs_in_the_guard():
    """Ladder's signals sent after commit: each receiver's work is in receiver_guard, so none
    can fail quietly under tests. (enrolment_import_applied is left out on purpose: it is sent
    inside the import's transaction, and its receiver raises to roll the import back.)"""
    from competencies.signals import attainment_changed
    from delegation.signals import delegation_suspended
    from programmes.signals import membership_deactivated
    from trainees.signals import enrolment_status_changed, enrolments_created

    receivers = {
        f"{function.__module__}.{function.__qualname__}": "receiver_guard" in function.__code__.co_names
        for signal in (
            attainment_changed, delegation_suspended, membership_deactivated,
            enrolment_status_changed, enrolments_created,
        )
        for sync_or_async in signal._live_receivers(None)
        for function in sync_or_async
        if not function.__module__.startswith("tests.")
    }
    assert len(receivers) >= 6, receivers  # credentials x2, delegation, the API, interviews x2
    assert [name for name, guarded in receivers.items() if not guarded] == []
