from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Invitations, roles managed in the app and single sign-on. Above trainees: an
    invitation can link a login to a trainee record."""

    name = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model

        from core.audit import audit_register

        from . import models, receivers  # noqa: F401  (receivers connect the signals)

        audit_register(models.Invitation)
        # A leaver's login being deactivated (or brought back) is part of the audit trail; the
        # rest of the user row (password hash, last login) is not.
        User = get_user_model()
        if User not in auditlog.get_models():
            auditlog.register(User, include_fields=["is_active"])
