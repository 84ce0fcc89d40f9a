from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Subject access and erasure. It reads and changes every floor's records of a person, so it
    sits on the top floor, above reports."""

    name = "privacy"
    verbose_name = "Data protection"
