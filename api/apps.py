from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/): gathers every app's services and selectors, so it sits on the
    top floor beside the dashboards."""

    name = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from programmes.signals import membership_deactivated

        from . import receivers

        membership_deactivated.connect(
            receivers.revoke_tokens_of_deactivated_membership,
            dispatch_uid="api.revoke_tokens_of_deactivated_membership",
        )
