from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: access machinery, http helpers, pagination, audit, shared form fields,
    enqueue-on-commit, CSV columns and problem reporting. What every app uses and none owns; it
    imports no Ladder app."""

    name = "core"
    verbose_name = "Core"
