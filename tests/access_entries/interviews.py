"""Who may use instruments, stages and interviews (evaluations.interviews)."""

from programmes.models import Role  # noqa: F401

from ..access_table import Entry, only  # noqa: F401

ENTRIES: dict[str, Entry] = {}
