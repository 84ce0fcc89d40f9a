"""Who may use mappings, courses, role profiles and gap analysis (competencies.profiles)."""

from programmes.models import Role  # noqa: F401

from ..access_table import Entry, only  # noqa: F401

ENTRIES: dict[str, Entry] = {}
