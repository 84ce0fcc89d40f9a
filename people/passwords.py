"""Django's password validators, saying what to do the NHS.UK way ("Password must be 10
characters or more") instead of Django's "This password is too short. It must contain at least
10 characters.". The checks are Django's; only the words are Ladder's, so every place a
password is set (accepting an invitation, changing or resetting it, the admin) says the same."""

from __future__ import annotations

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Password must be {self.min_length} characters or more"

    def get_help_text(self) -> str:
        return f"Use at least {self.min_length} characters."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "Choose a password that is harder to guess: this one is on a list of common passwords"

    def get_help_text(self) -> str:
        return "Do not use a common password."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Password must include letters or symbols, not only numbers"

    def get_help_text(self) -> str:
        return "Do not use only numbers."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # Not Django's attribute name: people sign in with their email, which is also their
        # username, and "not like your username" would send them looking for one.
        return "Choose a password that is not like your name or email address"

    def get_help_text(self) -> str:
        return "Do not use your name or email address."
