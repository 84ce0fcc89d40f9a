"""Bulk enrolment of trainees on a cohort from a CSV file: preview, then all-or-nothing import."""
