"""Logging filters: keep the console to one line per event a person would want to read."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A 403 or 404 is Ladder refusing on purpose (the reason is on the page), not a fault:
    log its one line, without the traceback of the PermissionDenied or Http404 behind it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404) and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
