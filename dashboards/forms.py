"""The account forms, dressed for the NHS.UK frontend (labels, hints and autocomplete)."""

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.validators import MaxLengthValidator


def _autocomplete(form: forms.Form, **fields: str) -> None:
    for name, value in fields.items():
        form.fields[name].widget.attrs["autocomplete"] = value


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        # Django sets the username's max_length after making the field, so nothing checks it:
        # a longer name reached axes, whose record of the failed login holds 255 (a 500).
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))
        self.fields["username"].widget.attrs.pop("autofocus", None)
        _autocomplete(self, username="username", password="current-password")  # noqa: S106  # nosec B106: an autocomplete token


class NhsPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = (
            "At least 10 characters. Not a common password, and not all numbers."
        )
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        _autocomplete(
            self,
            old_password="current-password",  # noqa: S106  # nosec B106: an autocomplete token
            new_password1="new-password",
            new_password2="new-password",
        )


class NhsPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = (
            "We will email a link to reset your password if this address belongs to an account."
        )


class NhsSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = (
            "At least 10 characters. Not a common password, and not all numbers."
        )
        _autocomplete(self, new_password1="new-password", new_password2="new-password")


class DueFilterForm(forms.Form):
    """Filters of the full list of what is due. The cohort and ward choices are those of the
    person's own due items, so a filter never reveals anything."""

    kind = forms.ChoiceField(label="What", required=False)
    cohort = forms.ChoiceField(label="Cohort", required=False)
    ward = forms.ChoiceField(label="Ward", required=False)

    def __init__(self, data=None, *, items, **kwargs):
        from programmes.due import KIND_LABELS  # noqa: PLC0415

        super().__init__(data, **kwargs)
        kinds = {item.kind for item in items}
        self.fields["kind"].choices = [("", "Anything due")] + [
            (kind, label) for kind, label in KIND_LABELS.items() if kind in kinds
        ]
        self.fields["cohort"].choices = [("", "Any cohort")] + [
            (name, name) for name in sorted({item.cohort for item in items if item.cohort})
        ]
        self.fields["ward"].choices = [("", "Any ward")] + [
            (name, name) for name in sorted({item.ward for item in items if item.ward})
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "nhsuk-select"
            field.error_messages["invalid_choice"] = "Choose one of the options in the list"
