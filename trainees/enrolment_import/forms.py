"""The upload form. The file's contents are checked by the services, not here."""

from __future__ import annotations

from django import forms

from .parsing import MAX_BYTES, MAX_ROWS


class EnrolmentImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            f"UTF-8 CSV, up to {MAX_BYTES // 1024 // 1024} MB and {MAX_ROWS:,} trainees, "
            "with the columns described below."
        ),
        error_messages={
            "required": "Choose a CSV file to upload",
            "empty": (
                "The file is empty. Upload a CSV file with a header row and one row per trainee."
            ),
            "invalid": "Choose a CSV file to upload",
        },
    )
    create_wards = forms.BooleanField(
        label="Create wards that do not exist yet",
        required=False,
        help_text=(
            "Leave this unticked to have a ward name Ladder does not know reported as a "
            "mistake. Tick it to add those wards to your organisation."
        ),
    )
