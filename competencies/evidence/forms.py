"""Forms for evidence and its assessment. They turn input into the services' arguments; the
services validate again, and their messages come back to the field they are about
(``core.forms.add_service_errors``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.form_renderer import QUICK_WIDGETS
from nhsuk_forms.fields import DateField

from ..models import Evidence
from .uploads import ACCEPTED_DESCRIPTION, MAX_FILES, check_files


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input. Their checks (size, number, type by content) are the
    service's, so that every way in is checked the same."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ChosenCompetenciesField(forms.MultipleChoiceField):
    """Required with the other competencies: at least one from either list (checked in
    EvidenceForm.clean), so neither list alone is marked "(optional)" nor refuses an empty
    choice."""

    def validate(self, value):
        if value:
            super().validate(value)


def _competency_label(competency) -> str:
    return f"{competency.id_number} {competency.name}".strip()


class EvidenceForm(forms.Form):
    """Add or change evidence. ``profile_items``: the trainee's role-profile items (offered
    first); ``others``: every other competency they may claim (drawn grouped by framework)."""

    title = forms.CharField(
        max_length=200, help_text="For example, “Physical health observations on Larch Ward”.",
        error_messages={
            "required": "Enter a title for this evidence",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of evidence is it?", choices=Evidence.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of evidence this is"},
    )
    occurred_on = DateField(
        label="Date", help_text="When it happened. For example, 15 3 2026",
        error_messages={"required": "Enter the date of the evidence"},
    )
    description = forms.CharField(
        label="What you did and what it shows", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Describe the situation, what you did, and how it shows each competency you choose.",
        error_messages={"required": "Describe what you did and what it shows"},
    )
    competencies = ChosenCompetenciesField(
        label="Competencies in your role profile", widget=forms.CheckboxSelectMultiple,
        help_text="Choose each competency this evidence shows.",
    )
    other_competencies = ChosenCompetenciesField(widget=forms.CheckboxSelectMultiple)
    files = MultipleFileField(
        label="Attach files", required=False,
        help_text=f"Up to {MAX_FILES} files, each 10 MB or smaller: {ACCEPTED_DESCRIPTION}.",
    )

    def __init__(self, *args, profile_items=(), others=(), declaration: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if declaration:  # the organisation's trainee declaration, as it reads now
            self.fields["agree"] = forms.BooleanField(
                label=f"I declare: {declaration}",
                error_messages={"required": "Tick the box to make the declaration, or save your evidence as a draft"},
            )
        self.profile_items = list(profile_items)
        self.others = list(others)
        self.fields["competencies"].choices = [
            (str(item.competency_id),
             f"{_competency_label(item.competency)} ({item.competency.framework}, {item.get_kind_display().lower()})")
            for item in self.profile_items
        ]
        self.fields["other_competencies"].choices = [(str(c.pk), _competency_label(c)) for c in self.others]
        if not self.profile_items:
            del self.fields["competencies"]

    def clean_files(self):
        # Checked here as well as in the service, so that file problems show with the others.
        files = self.cleaned_data["files"]
        _, errors = check_files(files, already_attached=self._files_kept())
        if errors:
            raise ValidationError(errors)
        return files

    def _files_kept(self) -> int:
        return 0

    def clean(self):
        data = super().clean()
        chosen = data.get("competencies") or data.get("other_competencies")
        if not chosen and not (self.has_error("competencies") or self.has_error("other_competencies")):
            field = "competencies" if "competencies" in self.fields else "other_competencies"
            self.add_error(field, "Choose at least one competency this evidence shows")
        return data

    @property
    def other_groups(self) -> list[dict]:
        """The other competencies grouped by framework, each with whether it is ticked."""
        chosen = set(self["other_competencies"].value() or [])
        groups: list[dict] = []
        for index, competency in enumerate(self.others):  # ids as Django numbers the options
            if not groups or groups[-1]["framework"].pk != competency.framework_id:
                groups.append({"framework": competency.framework, "choices": []})
            groups[-1]["choices"].append({
                "id": f"id_other_competencies_{index}",
                "value": str(competency.pk),
                "label": _competency_label(competency),
                "depth": competency.depth,
                "checked": str(competency.pk) in chosen,
            })
        return groups

    @property
    def others_open(self) -> bool:
        return not self.profile_items or bool(self["other_competencies"].value())

    def chosen_competencies(self) -> list[int]:
        data = self.cleaned_data
        ids = [*data.get("competencies", []), *data.get("other_competencies", [])]
        return list(dict.fromkeys(int(pk) for pk in ids))

    @property
    def error_redirect(self) -> dict[str, str]:
        """Where the service's errors about competencies go on this form (for
        ``add_service_errors``): the profile list when offered, else the other list."""
        target = "competencies" if "competencies" in self.fields else "other_competencies"
        return {"competencies": target}


class EvidenceEditForm(EvidenceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    remove_files = forms.MultipleChoiceField(
        label="Remove files", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tick any file you want to take off this evidence.",
    )
    note = forms.CharField(
        label="What you changed", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Tell your assessor what you changed after they returned it.",
    )

    def __init__(self, *args, evidence: Evidence, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_files"].choices = [(str(f.pk), f.original_name) for f in files]
        if not files:
            del self.fields["remove_files"]
        if evidence.status != Evidence.Status.RETURNED:
            del self.fields["note"]
        self._file_count = len(files)

    def _files_kept(self) -> int:
        # Read from the raw data: remove_files is cleaned after files.
        if "remove_files" not in self.fields:
            return self._file_count
        existing = {value for value, _ in self.fields["remove_files"].choices}
        removing = set(self.data.getlist("remove_files")) if hasattr(self.data, "getlist") else set()
        return self._file_count - len(existing & removing)


class SignOffForm(forms.Form):
    """One level per claimed competency (radios of that competency's scale), a comment, and
    the organisation's sign-off statement to confirm (when it set one)."""

    prefix = "sign_off"  # the page has several forms: keep their ids apart

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="Feedback for the trainee", required=False, widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, claims=(), targets=None, statement: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if statement:
            # Not required by the field: recording progress below target needs no statement;
            # the service refuses a sign-off without it, on this field.
            self.fields["agree"] = forms.BooleanField(
                label=f"I confirm: {statement}", required=False,
                help_text="Needed to sign off. Recording progress does not need it.",
            )
        targets = targets or {}
        self.level_fields = []
        fields = {}
        for claim in claims:
            scale = claim.scale
            name = f"level_{claim.competency_id}"
            target = targets.get(claim.competency_id)
            hint = f"{claim.competency.framework}."
            if target:
                hint += f" Target in the role profile: {target[1]}."
            fields[name] = forms.TypedChoiceField(
                label=f"Level reached: {claim.competency}", coerce=int,
                choices=[(str(i), level["name"]) for i, level in enumerate(scale.levels)],
                widget=forms.RadioSelect, help_text=hint,
                error_messages={"required": f"Choose the level reached for {claim.competency}."},
            )
            self.level_fields.append(name)
        # The levels first, then the comment.
        self.fields = {**fields, **self.fields}

    def levels(self) -> dict[int, int]:
        return {int(name.removeprefix("level_")): self.cleaned_data[name] for name in self.level_fields}


class ReturnForm(forms.Form):
    prefix = "return"
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="What the trainee needs to change", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the trainee needs to change."},
    )


class ReplyForm(forms.Form):
    prefix = "reply"
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, trainee: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        field.label = "Message to your mentor" if trainee else "Comment for the trainee"
        field.help_text = "" if trainee else "A comment does not sign off or return the evidence."
        field.error_messages["required"] = "Write your message" if trainee else "Write your comment"


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Evidence.Status.choices]
    )


class MatrixFilterForm(forms.Form):
    # Its selects written by core.form_renderer (Django's markup, character for character): the
    # matrix draws them on every visit, and the widget templates cost more than the rest.
    default_renderer = QUICK_WIDGETS

    kind = forms.ChoiceField(
        label="Competencies", required=False,
        choices=[("", "Core and role-specific"), ("core", "Core only"), ("role_specific", "Role-specific only")],
    )
    ward = forms.ChoiceField(label="Ward or clinical area", required=False)

    def __init__(self, *args, wards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "All wards"), *((str(w.pk), w.name) for w in wards)]

    def filters(self) -> tuple[str | None, int | None]:
        """(kind, ward id) to show: those asked for, or neither when the form refuses them."""
        if not self.is_valid():
            return None, None
        ward = self.cleaned_data["ward"]
        return self.cleaned_data["kind"] or None, int(ward) if ward else None

    @classmethod
    def asked(cls, data) -> tuple[str | None, int | None]:
        """What filters() gives for ``data`` if its ward is one of the form's wards: for a page
        that reads the wards with its rows, then checks (views.cohort_matrix). A ward id too
        long to be one, or not a number, is refused here as the form would refuse it."""
        if not data:
            return None, None
        kind, ward = data.get("kind") or "", data.get("ward") or ""
        kinds = {value for value, _ in cls.base_fields["kind"].choices}
        if kind not in kinds or not (ward == "" or (ward.isascii() and ward.isdigit() and len(ward) <= 18)):
            return None, None
        return kind or None, int(ward) if ward else None


class DelegationFilterForm(forms.Form):
    cohort = forms.ChoiceField(label="Cohort", required=False)
    ward = forms.ChoiceField(label="Ward or clinical area", required=False)

    def __init__(self, *args, cohorts=(), wards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [
            ("", "All cohorts"), *((str(c.pk), f"{c.programme.title}: {c.name}") for c in cohorts)
        ]
        self.fields["ward"].choices = [("", "All wards"), *((str(w.pk), w.name) for w in wards)]
