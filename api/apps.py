from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/): gathers every app's services and selectors, so it sits on the
    top floor beside the dashboards."""

    name = "api"
    verbose_name = "REST API"
