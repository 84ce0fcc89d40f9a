"""Which Celery workers are alive, known without asking them.

Each worker writes its name and the time into a Redis sorted set when it starts and every
``INTERVAL`` seconds after (a timer of its own, so beat need not run), and removes itself when
it stops. ``/healthz`` counts the names seen within ``STALE_AFTER`` seconds: one Redis call,
where pinging the workers made every health check wait up to two seconds for their answers.
A worker killed without stopping drops out of the count ``STALE_AFTER`` seconds later.
"""

from __future__ import annotations

import logging
import time

from celery import bootsteps
from django.conf import settings

logger = logging.getLogger(__name__)

KEY = "ladder:workers"
INTERVAL = 15
STALE_AFTER = 4 * INTERVAL


def _client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def record_alive(hostname: str) -> None:
    try:
        client = _client()
        now = time.time()
        client.zadd(KEY, {hostname: now})
        client.zremrangebyscore(KEY, "-inf", now - 10 * STALE_AFTER)  # long-dead names
    except Exception:  # noqa: BLE001 (a worker keeps working while Redis blinks)
        logger.warning("Could not record that worker %s is alive", hostname, exc_info=True)


def record_gone(hostname: str) -> None:
    try:
        _client().zrem(KEY, hostname)
    except Exception:  # noqa: BLE001
        logger.warning("Could not record that worker %s stopped", hostname, exc_info=True)


def live_worker_count() -> int:
    """Workers seen within STALE_AFTER seconds. Raises the client's error when Redis is down."""
    return _client().zcount(KEY, time.time() - STALE_AFTER, "+inf")


class WorkerPresence(bootsteps.StartStopStep):
    """A worker bootstep: records the worker in KEY now and every INTERVAL seconds."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker):
        record_alive(worker.hostname)
        self.timer_entry = worker.timer.call_repeatedly(
            INTERVAL, record_alive, (worker.hostname,), priority=10
        )

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None
        record_gone(worker.hostname)

    terminate = stop  # a warm or cold shutdown alike: the worker is gone either way
