"""Signals for apps on higher floors: trainees cannot import them, so it announces instead."""

from django.dispatch import Signal

# Sent after commit with: enrolment, from_status, to_status.
enrolment_status_changed = Signal()

# Sent after commit by services.enrolments_create_bulk (the CSV import) in place of one
# enrolment_status_changed per new enrolment, with: cohort, enrolments (new, applied or active,
# their trainees loaded) and actor. A receiver does its work for all of them at once.
enrolments_created = Signal()

# Sent INSIDE an enrolment import's transaction, once its rows are saved, with: job, trainees
# ([(line of the file, trainee)] for the trainees the import created, with the email from the
# file) and actor (who confirmed it). Unlike the signal above it is not sent after commit, on
# purpose: what a receiver writes (the people app's invitations) must be all-or-nothing with
# the import, and the receiver sends its emails on commit. A receiver returns how many people
# it invited, or raises enrolment_import.services.ImportFailed(line, message) to roll the
# import back.
enrolment_import_applied = Signal()
