"""Themes and coded findings, audits at key stages, service-user satisfaction, exports."""
