from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Invitations, roles managed in the app and single sign-on. Above trainees: an invitation can link a login to a trainee record."""

    name = "people"
    verbose_name = "People"
