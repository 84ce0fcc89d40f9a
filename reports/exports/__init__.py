"""Data exports for workforce planners and training leads: tables of the organisation's
programmes, cohorts, enrolments with outcomes, study time, competency attainment and
evaluation results, as CSV (one file, or a ZIP of one file per table) or an Excel workbook
(one sheet per table). What a table holds is what the person it is made for may see."""

from __future__ import annotations

from programmes.models import Membership

from ..models import ReportJob
from .datasets import DATASETS, gather_tables
from .writers import write_csv, write_xlsx

EXPORT_FORMATS = {ReportJob.Kind.EXPORT_CSV: "csv", ReportJob.Kind.EXPORT_XLSX: "xlsx"}
KIND_OF_FORMAT = {fmt: kind for kind, fmt in EXPORT_FORMATS.items()}

__all__ = ["DATASETS", "EXPORT_FORMATS", "KIND_OF_FORMAT", "build_export"]


def build_export(*, membership: Membership, datasets: list[str], file_format: str) -> tuple[bytes, str]:
    """(the file's bytes, its extension). Unknown dataset names are refused."""
    unknown = [name for name in datasets if name not in DATASETS]
    if unknown or not datasets:
        raise ValueError(f"Choose tables to export from: {', '.join(DATASETS)}.")
    tables = gather_tables(membership=membership, names=datasets)
    if file_format == "xlsx":
        return write_xlsx(tables), "xlsx"
    return write_csv(tables)
