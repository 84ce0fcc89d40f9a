from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"

    def ready(self) -> None:
        # Lower floors send per-item reminders through core.reminders: tell it whom to send
        # them to and what was already told (dashboards/reminders.py explains).
        from core import reminders

        from .reminders import PreferencePolicy

        reminders.register(PreferencePolicy())
