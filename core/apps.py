from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The ground floor: access machinery, http helpers, pagination, audit, shared form fields,
    enqueue-on-commit, CSV columns and problem reporting. What every app uses and none owns; it
    imports no Ladder app."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .data_version import install_triggers
        from .prepared import plan_once

        # Once per migrate, after every app's tables exist.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="core.data_version")
        # Statements prepared by core.prepared are planned once a connection.
        connection_created.connect(plan_once, dispatch_uid="core.prepared.plan_once")
