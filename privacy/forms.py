"""The erasure confirmation: the lead types the person's full name, so nobody erases the wrong
person with one stray click."""

from __future__ import annotations

from django import forms


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type the person's full name to confirm", max_length=250,
        error_messages={"required": "Type the person's full name to confirm the erasure."},
    )

    def __init__(self, *args, full_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.full_name = full_name
        self.fields["confirm_name"].help_text = f"Type {full_name} exactly as shown (capitals do not matter)."

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if _normalised(typed) != _normalised(self.full_name):
            raise forms.ValidationError(f"That is not the name of this person. Type {self.full_name} to confirm.")
        return typed
