"""Forms for inviting people, accepting an invitation and giving roles."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from dashboards.forms import NhsSetPasswordForm
from programmes.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email. The invitation link is sent here.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # A trainee's login without their trainee record would show them an empty page: trainees
    # are invited from their record (or the enrolment import), which links the two.
    role = forms.ChoiceField(
        label="Role",
        choices=[(value, label) for value, label in Role.choices if value != Role.TRAINEE],
        widget=forms.RadioSelect,
        help_text="To invite a trainee, use Invite on their trainee record, so that their login "
        "is linked to it.",
        error_messages={
            "required": "Choose the role they will have",
            "invalid_choice": (
                "Choose one of the roles listed: a trainee is invited from their trainee record"
            ),
        },
    )


class TraineeInvitationForm(forms.Form):
    email = InvitationForm.base_fields["email"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Give another role",
        choices=[("", "Choose a role"), *Role.choices],
        error_messages={"required": "Choose a role to give"},
    )


class AcceptForm(NhsSetPasswordForm):
    """Name and password for a new login made from an invitation. Django's password validators
    check the password against the person being made (their name and email)."""

    first_name = forms.CharField(
        label="First name", max_length=150,
        error_messages={"required": "Enter your first name"},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name", max_length=150,
        error_messages={"required": "Enter your last name"},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    field_order = ["first_name", "last_name", "new_password1", "new_password2"]

    def __init__(self, invitation, data=None, initial=None):
        User = get_user_model()
        self.invitation = invitation
        person = User(username=invitation.email, email=invitation.email)
        super().__init__(person, data, initial=initial)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"
        self.order_fields(self.field_order)

    def clean(self):
        # The similarity validator compares the password with the name being typed now.
        self.user.first_name = self.cleaned_data.get("first_name", "")
        self.user.last_name = self.cleaned_data.get("last_name", "")
        return super().clean()
