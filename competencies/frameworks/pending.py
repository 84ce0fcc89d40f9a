"""Uploaded framework files waiting for the training lead to confirm the import.

The preview-then-confirm step keeps the uploaded bytes on the server, never in the page: the
file is saved under ``framework-imports/<random>.csv`` in the default storage (MEDIA_ROOT, which
every web process shares), and only its random token goes in the person's session, with the
organisation it is for. The confirm step reads those exact bytes back, so what is imported is
what was previewed, and a token is useless to anyone whose session does not hold it. Files are
deleted once imported or cancelled; any left behind (an abandoned preview) are removed after a
day, whenever someone next uploads.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest
from django.utils import timezone

logger = logging.getLogger(__name__)

FOLDER = "framework-imports"
SESSION_KEY = "ladder_framework_imports"
KEEP_FOR = timedelta(days=1)
MAX_PENDING = 5  # per session: older ones are discarded
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Pending:
    token: str
    original_name: str
    encoding: str
    delimiter: str
    organisation_id: int

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.token}.csv"

    def read(self) -> bytes:
        with default_storage.open(self.path, "rb") as file:
            return file.read()


def pending_save(
    request: HttpRequest, *, data: bytes, original_name: str, encoding: str, delimiter: str
) -> Pending:
    """Keep an uploaded file for the acting organisation; return its handle."""
    _purge_stale()
    pending = Pending(
        token=uuid.uuid4().hex,
        original_name=original_name[:200],
        encoding=encoding,
        delimiter=delimiter,
        organisation_id=request.membership.organisation_id,
    )
    default_storage.save(pending.path, ContentFile(data))
    entries = dict(request.session.get(SESSION_KEY, {}))
    entries[pending.token] = {
        "original_name": pending.original_name,
        "encoding": encoding,
        "delimiter": delimiter,
        "organisation_id": pending.organisation_id,
    }
    while len(entries) > MAX_PENDING:
        oldest = next(iter(entries))
        entries.pop(oldest)
        _delete(f"{FOLDER}/{oldest}.csv")
    request.session[SESSION_KEY] = entries
    return pending


def pending_get(request: HttpRequest, token: str) -> Pending:
    """The person's own waiting file for the organisation they act for now, or 404."""
    entry = request.session.get(SESSION_KEY, {}).get(token) if _TOKEN.fullmatch(token) else None
    if entry is None or entry["organisation_id"] != request.membership.organisation_id:
        raise Http404("No such import is waiting: upload the file again.")
    pending = Pending(token=token, **entry)
    if not default_storage.exists(pending.path):
        pending_discard(request, pending)
        raise Http404("This upload has expired: upload the file again.")
    return pending


def pending_discard(request: HttpRequest, pending: Pending) -> None:
    entries = dict(request.session.get(SESSION_KEY, {}))
    entries.pop(pending.token, None)
    request.session[SESSION_KEY] = entries
    _delete(pending.path)


def _delete(path: str) -> None:
    try:
        default_storage.delete(path)
    except OSError:
        logger.warning("Could not delete %s", path, exc_info=True)


def _purge_stale() -> None:
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - KEEP_FOR
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue
