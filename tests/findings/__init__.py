"""Themes and coding, findings, audits, satisfaction and exports (evaluations.findings)."""
