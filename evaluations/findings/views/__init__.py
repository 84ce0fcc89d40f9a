"""The findings pages, one module per thing they work on."""

from .audits import audit_round_create, audit_tools, programme_audits
from .coding import coding
from .export import instrument_export
from .findings import cohort_findings, stage_findings
from .satisfaction import satisfaction, satisfaction_import
from .themes import theme_delete, theme_edit, themes

__all__ = [
    "audit_round_create", "audit_tools", "programme_audits", "coding", "instrument_export",
    "cohort_findings", "stage_findings", "satisfaction", "satisfaction_import", "theme_delete",
    "theme_edit", "themes",
]
