"""Who may use evidence, sign-off, the progress matrix and delegation readiness (competencies.evidence)."""

from programmes.models import Role  # noqa: F401

from ..access_table import Entry, only  # noqa: F401

ENTRIES: dict[str, Entry] = {}
