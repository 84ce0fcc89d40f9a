from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/): gathers every app's services and selectors, so it sits on the
    top floor beside the dashboards."""

    name = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_save

        from programmes.signals import membership_deactivated

        from . import receivers

        membership_deactivated.connect(
            receivers.revoke_tokens_of_deactivated_membership,
            dispatch_uid="api.revoke_tokens_of_deactivated_membership",
        )
        # Every password change revokes the person's tokens, whoever makes it and however.
        User = get_user_model()
        pre_save.connect(receivers.note_password_change, sender=User, dispatch_uid="api.note_password_change")
        post_save.connect(
            receivers.revoke_tokens_of_changed_password, sender=User,
            dispatch_uid="api.revoke_tokens_of_changed_password",
        )
