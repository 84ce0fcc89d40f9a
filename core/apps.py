from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The ground floor: access machinery, http helpers, pagination, audit, shared form fields,
    enqueue-on-commit, CSV columns and problem reporting. What every app uses and none owns; it
    imports no Ladder app."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .data_version import install_triggers

        # Once per migrate, after every app's tables exist.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="core.data_version")
