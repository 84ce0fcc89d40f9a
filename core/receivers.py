"""Running a signal receiver's work: logged in production, loud under tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

log = logging.getLogger(__name__)


@contextmanager
def receiver_guard(what: str) -> Iterator[None]:
    """Wrap a receiver's work. Receivers run after the change that sent the signal has
    committed: a failure there must not turn the person's saved change into an error page, so
    it is logged with ``what`` (and the traceback). With ``settings.RECEIVERS_RAISE`` (on under
    DJANGO_ENV=test) it is raised as well, so a test cannot pass over a broken receiver."""
    try:
        yield
    except Exception:
        log.exception("%s failed", what)
        if settings.RECEIVERS_RAISE:
            raise
