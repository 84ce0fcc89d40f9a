"""The form a training lead fills to suspend a credential."""

from __future__ import annotations

from django import forms

from .models import Credential


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label="Why the credential is suspended",
        max_length=Credential._meta.get_field("suspended_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, an incident being reviewed. The holder sees this; the public page does not.",
        error_messages={
            "required": "Say why the credential is suspended",
            "max_length": "Say why in %(limit_value)d characters or fewer",
        },
    )
