"""The framework upload form (a Moodle CSV file, its encoding and its delimiter) and the
validity and delegated-task form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .services import MAX_VALIDITY_MONTHS, CompetencyValidity

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

ENCODINGS = [
    ("utf-8", "UTF-8 (what Moodle writes, and a spreadsheet's “CSV UTF-8”)"),
    ("cp1252", "Windows-1252 (an older Excel “CSV” file)"),
]
DELIMITERS = [
    ("comma", "Commas (what Moodle writes)"),
    ("semicolon", "Semicolons (Excel in many European languages)"),
    ("tab", "Tabs"),
]
DELIMITER_CHARACTERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Moodle competency framework file",
        help_text=(
            "A CSV file exported from Moodle (Site administration, Competencies, Export "
            "competency framework) or written in the same format. 5 MB at most."
        ),
        error_messages={
            "required": "Choose a Moodle competency framework file",
            "empty": "The file is empty: choose a Moodle competency framework file",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    encoding = forms.ChoiceField(
        label="The file's text encoding",
        choices=ENCODINGS,
        initial="utf-8",
        widget=forms.RadioSelect,
    )
    delimiter = forms.ChoiceField(
        label="Columns are separated by",
        choices=DELIMITERS,
        initial="comma",
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                "The file is %(size)s: the largest framework file Ladder imports is 5 MB",
                code="too_big",
                params={"size": _size(upload.size)},
            )
        return upload

    def cleaned_bytes(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(MAX_UPLOAD_BYTES + 1)

    @property
    def delimiter_character(self) -> str:
        return DELIMITER_CHARACTERS[self.cleaned_data["delimiter"]]


def _months_field(label: str, what: str, help_text: str = "") -> forms.IntegerField:
    message = f"Enter {what} as a whole number of months from 1 to {MAX_VALIDITY_MONTHS}, or leave it blank"
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=MAX_VALIDITY_MONTHS, help_text=help_text,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
    )


class FrameworkValidityForm(forms.Form):
    """The framework's validity period, and per competency its own period and whether it is a
    delegated task: the whole framework in one table, saved at once. ``rows``: (competency,
    its months field's name, its delegated-task field's name), in the framework's order."""

    validity_months = _months_field(
        "How long sign-offs stay valid (months)", "how long sign-offs stay valid",
        help_text="For every competency of this framework unless it has its own period below. "
        "Leave blank if sign-offs do not expire.",
    )

    def __init__(self, *args, framework, competencies, **kwargs):
        initial = {"validity_months": framework.validity_months}
        for competency in competencies:
            initial[f"months_{competency.pk}"] = competency.reassessment_months
            initial[f"delegated_{competency.pk}"] = competency.is_delegated_task
        super().__init__(*args, initial=initial, **kwargs)
        self.rows = []
        for competency in competencies:
            months, delegated = f"months_{competency.pk}", f"delegated_{competency.pk}"
            self.fields[months] = _months_field(
                f"Own validity period in months for {competency.id_number} {competency.name}",
                f"the period for {competency.id_number}",
            )
            self.fields[delegated] = forms.BooleanField(
                label=f"Delegated task ({competency.id_number})", required=False,
            )
            self.rows.append((competency, self[months], self[delegated]))

    def cleaned_competencies(self) -> dict:
        return {
            competency.pk: CompetencyValidity(
                months=self.cleaned_data.get(months.name),
                is_delegated_task=self.cleaned_data.get(delegated.name, False),
            )
            for competency, months, delegated in self.rows
        }
