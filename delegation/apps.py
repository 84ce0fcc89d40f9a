from django.apps import AppConfig


class DelegationConfig(AppConfig):
    """Partnerships' cross-organisation assessors, delegation records and supervision contacts. Above competencies."""

    name = "delegation"
    verbose_name = "Delegation"
