"""The framework upload form: a Moodle CSV file, its encoding and its delimiter."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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
