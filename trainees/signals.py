"""Signals for apps on higher floors: trainees cannot import them, so it announces instead."""

from django.dispatch import Signal

# Sent after commit with: enrolment, from_status, to_status.
enrolment_status_changed = Signal()
