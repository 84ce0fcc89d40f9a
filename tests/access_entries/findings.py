"""Who may use themes, findings, audits, satisfaction and exports (evaluations.findings)."""

from programmes.models import Role  # noqa: F401

from ..access_table import Entry, only  # noqa: F401

ENTRIES: dict[str, Entry] = {}
