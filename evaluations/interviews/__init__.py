"""Instruments, evaluation stages, interviews and their reminders."""
