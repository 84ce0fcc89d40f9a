"""Forms for programmes, milestones and cohorts. They turn input into what the services take
(lists of lines, dates, checked files); the services validate again and write."""

from __future__ import annotations

import datetime
import os
import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import LinesField, PeopleChoiceField
from nhsuk_forms.fields import DateField

from . import selectors
from .models import ClinicalArea, Cohort, Milestone, Organisation, Programme

CODE_OF_PRACTICE_MAX_BYTES = 10 * 1024 * 1024
CODE_OF_PRACTICE_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Word (.doc) container
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".odt": "OpenDocument"}


def constraint_message(model, name: str) -> str:
    """The message of a named model constraint, so the form and the database say the same."""
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return str(constraint.violation_error_message)
    raise LookupError(name)


def check_code_of_practice(upload) -> None:
    """A PDF, Word (.doc or .docx) or OpenDocument text file of at most 10 MB, judged by its
    content, not just its name: a renamed executable or spreadsheet is refused."""
    if upload.size > CODE_OF_PRACTICE_MAX_BYTES:
        raise ValidationError("The code of practice must be smaller than 10 MB")
    name = (upload.name or "").lower()
    extension = next((ext for ext in CODE_OF_PRACTICE_EXTENSIONS if name.endswith(ext)), None)
    refuse = ValidationError("The code of practice must be a PDF, Word or OpenDocument text file")
    if extension is None:
        raise refuse
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf":
        ok = head.startswith(b"%PDF-")
    elif extension == ".doc":
        ok = head == _OLE2
    else:
        ok = head.startswith(b"PK\x03\x04") and _zip_is_text_document(upload, extension)
        upload.seek(0)
    if not ok:
        raise ValidationError(
            "The selected file is not a real %(kind)s file. Upload a PDF, Word or OpenDocument "
            "text file",
            params={"kind": _KINDS[extension]},
        )


def _zip_is_text_document(upload, extension: str) -> bool:
    """A .docx holds word/document.xml; an .odt starts with its mimetype entry."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if extension == ".docx":
                return "word/document.xml" in names
            return "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


class ProgrammeForm(forms.ModelForm):
    """Create or change a programme led by ``organisation``."""

    clinical_areas = forms.ModelMultipleChoiceField(
        queryset=ClinicalArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Wards or clinical areas",
        help_text="Select all that apply.",
    )
    new_clinical_areas = LinesField(
        label="Add wards or clinical areas, one per line",
        max_line_length=120,
        help_text="For example, Larch Ward. They are added to your organisation's list.",
    )
    intended_benefits = LinesField(
        label="Intended benefits, one per line",
        max_line_length=500,
        help_text="For example, improve service users' access to physical healthcare.",
    )
    drivers_and_standards = LinesField(
        label="Drivers and standards, one per line",
        max_line_length=500,
        help_text="For example, NMC standards of proficiency, or CQC survey findings.",
    )
    code_of_practice = forms.FileField(
        required=False,
        widget=forms.FileInput,
        max_length=70,
        label="Code of practice",
        help_text="The organisational code of practice for the role: a PDF, Word or "
        "OpenDocument text file, smaller than 10 MB.",
    )
    remove_code_of_practice = forms.BooleanField(
        required=False, label="Remove the current code of practice"
    )

    field_order = [
        "title",
        "status",
        "description",
        "setting",
        "clinical_areas",
        "new_clinical_areas",
        "intended_benefits",
        "education_route",
        "education_detail",
        "apprenticeship_standard",
        "funding_source",
        "drivers_and_standards",
        "code_of_practice",
        "remove_code_of_practice",
    ]

    class Meta:
        model = Programme
        fields = [
            "title",
            "status",
            "description",
            "setting",
            "clinical_areas",
            "intended_benefits",
            "education_route",
            "education_detail",
            "apprenticeship_standard",
            "funding_source",
            "drivers_and_standards",
        ]
        labels = {
            "title": "Title",
            "description": "What the role is and why it is needed",
            "setting": "Setting",
            "education_route": "Education route",
            "education_detail": "Course or standard",
            "apprenticeship_standard": "Apprenticeship standard reference",
            "funding_source": "Funding source",
        }
        help_texts = {"title": "The new role, for example Inpatient assistant practitioner."}
        widgets = {
            "education_route": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["clinical_areas"].queryset = selectors.clinical_area_choices(
            organisation_id=organisation.pk
        )
        self.fields["apprenticeship_standard"].widget.attrs["class"] = "nhsuk-input--width-10"
        if self.instance.pk and self.instance.code_of_practice:
            current = os.path.basename(self.instance.code_of_practice.name)
            self.fields["code_of_practice"].help_text = (
                f"The current file is {current}. Upload another to replace it: a PDF, Word or "
                "OpenDocument text file, smaller than 10 MB."
            )
        else:
            del self.fields["remove_code_of_practice"]

    def clean_code_of_practice(self):
        upload = self.cleaned_data.get("code_of_practice")
        if upload:
            check_code_of_practice(upload)
        return upload

    def service_fields(self) -> dict:
        """The cleaned data as programme_create/programme_update take it."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields["clinical_areas"] = list(data["clinical_areas"])
        if data.get("code_of_practice"):
            fields["code_of_practice"] = data["code_of_practice"]
        elif data.get("remove_code_of_practice"):
            fields["code_of_practice"] = ""
        return fields


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "description", "due_on", "done_on"]
        field_classes = {"due_on": DateField, "done_on": DateField}
        labels = {"title": "Milestone", "due_on": "Due date", "done_on": "Date done"}
        help_texts = {
            "done_on": "Leave blank until it is done. Any date up to today, before or after "
            "the due date. For example, 2 4 2026",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_done_on(self) -> datetime.date | None:
        done_on = self.cleaned_data.get("done_on")
        if done_on and done_on > timezone.localdate():
            raise ValidationError("Date done must be today or in the past")
        return done_on


class CohortForm(forms.ModelForm):
    lecturers = PeopleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Lecturers of the lead or a partner organisation. Select all that apply.",
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "intake_number",
            "starts_on",
            "ends_on",
            "study_hours_per_week",
            "lecturers",
        ]
        field_classes = {"starts_on": DateField, "ends_on": DateField}
        labels = {
            "name": "Name",
            "intake_number": "Intake number",
            "starts_on": "Start date",
            "ends_on": "Expected end date",
            "study_hours_per_week": "Protected study hours a week",
        }
        help_texts = {"name": "For example, Cohort 1 (2026 intake).", "ends_on": ""}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["lecturers"].queryset = selectors.lecturer_choices(programme=programme)
        self.fields["intake_number"].widget.attrs["class"] = "nhsuk-input--width-4"
        self.fields["study_hours_per_week"].widget.attrs["class"] = "nhsuk-input--width-4"
        if not self.instance.pk:
            self.fields["intake_number"].required = False
            self.fields["intake_number"].help_text = "Leave blank to take the next number."
            self.fields["intake_number"].initial = None
            self.initial.pop("intake_number", None)
        if not self.fields["lecturers"].queryset.exists():
            lecturers = self.fields["lecturers"]
            lecturers.help_text = "Nobody in the lead or partner organisations is a lecturer yet."

    def clean_intake_number(self):
        number = self.cleaned_data.get("intake_number")
        if number is not None:
            taken = self.programme.cohorts.filter(intake_number=number)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise ValidationError(
                    f"This programme already has a cohort with intake number {number}"
                )
        return number

    def clean_study_hours_per_week(self):
        hours = self.cleaned_data.get("study_hours_per_week")
        if hours is not None and not 0 <= hours <= 40:
            raise ValidationError(constraint_message(Cohort, "cohort_study_hours_in_range"))
        return hours

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            # The database constraint says the same; here the message sits by the end date.
            self.add_error("ends_on", constraint_message(Cohort, "cohort_ends_after_it_starts"))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name] for name in ("name", "starts_on", "ends_on", "study_hours_per_week")
        }
        if data.get("intake_number") is not None:
            fields["intake_number"] = data["intake_number"]
        fields["lecturers"] = list(data["lecturers"])
        return fields
