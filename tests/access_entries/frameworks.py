"""Who may use the framework pages: browse, import and export (competencies.frameworks)."""

from programmes.models import Role  # noqa: F401

from ..access_table import Entry, only  # noqa: F401

ENTRIES: dict[str, Entry] = {}
