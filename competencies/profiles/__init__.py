"""Mappings between frameworks, courses, the programme's role profile and gap analysis."""
