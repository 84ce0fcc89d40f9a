"""GET /healthz: whether Ladder and the services it depends on answer.

Answers 503 only when the database is down: without it no page works. Redis or the worker
being down makes the status "degraded" (pages still work; report requests say the queue is
unavailable), so a load balancer does not take healthy web processes out of service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 (any failure means "down")
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_worker() -> str:
    """From the workers' own presence records (config/worker_presence.py): one Redis read, never
    a wait for workers to answer a ping, so callers of /healthz cannot tie up web workers."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (tasks run in the web process)"
    from config.worker_presence import STALE_AFTER, live_worker_count

    try:
        count = live_worker_count()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok" if count else f"error: no worker seen in the last {STALE_AFTER} seconds"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database(), "redis": _check_redis()}
    # Asking for workers needs the broker; skip it when Redis is already known to be down.
    checks["worker"] = _check_worker() if not checks["redis"].startswith("error") else "unknown"
    if checks["database"] != "ok":
        status = "error"
    elif any(value.startswith(("error", "unknown")) for value in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "error" else 200)
