"""Queueing Celery work after the transaction that asked for it commits.

A job row written in a transaction must exist for the worker that picks it up, and a job must
never run for a row that was rolled back: so the task is published from
``transaction.on_commit``, whatever transaction the caller holds. With no transaction open the
callback runs at once, so a page that asks for a job learns straight away if the queue is down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from django.db import transaction

log = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The broker did not take the job, so nothing will run it. ``str()`` is the message to
    show the person; the caller's ``on_unavailable`` has already recorded the failure."""


def enqueue_on_commit(
    task, *, args: Sequence, what: str, unavailable_message: str,
    on_unavailable: Callable[[], None], retry_policy: Mapping[str, float] | None = None,
) -> None:
    """Publish ``task`` with ``args`` once the current transaction commits (at once outside
    one). No publish retries by default: if Redis is down the person hears so now rather than
    wait. ``retry_policy`` (kombu's: ``max_retries``, ``interval_start``, ``interval_step``)
    retries the publish first, for a job the person has already waited for (the enrolment
    import's: two more tries within half a second, to ride out a broker reconnecting).

    Any failure to publish counts as the queue being unavailable: not only connection errors,
    but kombu's RuntimeError from a closed pool and redis-py's own exception types; whatever it
    is, no worker will ever run the job. Then ``on_unavailable()`` records that (e.g. marks the
    job failed with the reason) and QueueUnavailable(unavailable_message) is raised: from this
    call when no transaction is open, else from the commit of the outermost one (which has
    committed by then)."""

    retry = {"retry": True, "retry_policy": dict(retry_policy)} if retry_policy else {"retry": False}

    def publish() -> None:
        try:
            task.apply_async(args=list(args), **retry)
        except Exception as exc:  # noqa: BLE001 - see the docstring
            log.warning("%s could not be queued: %r", what, exc)
            on_unavailable()
            raise QueueUnavailable(unavailable_message) from exc

    transaction.on_commit(publish)
