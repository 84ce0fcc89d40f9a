"""Forms for mappings, courses and role profiles. Their choice querysets are scoped to what the
acting person may see; the services check again and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ..models import Competency, Framework, Mapping, RoleProfileItem
from .mapping_csv import MAX_BYTES

FIRST_PROFICIENT = ""


class CompetencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.id_number} {obj.name}"


class CompetencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.id_number} {obj.name}"


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj} (national)" if obj.is_national else f"{obj} ({obj.organisation.name})"


class FrameworkPickForm(forms.Form):
    """The first step of picking competencies: which framework (sent with GET)."""

    framework = FrameworkChoiceField(
        queryset=Framework.objects.none(),
        empty_label="Choose a framework",
        error_messages={
            "required": "Choose a framework",
            "invalid_choice": "Choose one of the frameworks in the list",
        },
    )

    def __init__(self, *args, frameworks, label: str = "Framework", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].label = label


def _level_name(scale, index: int) -> str:
    return scale.levels[index]["name"] if 0 <= index < len(scale.levels) else f"Level {index + 1}"


def _level_label(level: dict) -> str:
    return f"{level['name']} (proficient)" if level.get("proficient") else level["name"]


class RoleProfileAddForm(forms.Form):
    """Competencies picked one by one, a whole group at once (``groups``: the keys of
    ``picker_groups``) or the whole framework (``everything``). A group or the framework stands
    for every competency in it that is on offer, so the form works the same without the
    page's script, which only mirrors these ticks onto the single boxes."""

    everything = forms.BooleanField(required=False)
    groups = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Whole groups",
        error_messages={"invalid_choice": "Select groups from the list"},
    )
    competencies = CompetencyMultipleChoiceField(
        queryset=Competency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Competencies",
        help_text="Select all that the role needs.",
    )
    kind = forms.ChoiceField(
        choices=RoleProfileItem.Kind.choices,
        widget=forms.RadioSelect,
        label="Are they core or role-specific?",
        help_text=(
            "Core competencies are needed by everyone in the role; role-specific ones by this "
            "role in particular."
        ),
        error_messages={"required": "Choose core or role-specific"},
    )
    target_level = forms.TypedChoiceField(
        choices=(),
        widget=forms.RadioSelect,
        required=False,
        coerce=int,
        empty_value=None,
        label="Level each must reach",
    )

    def __init__(self, *args, framework: Framework, competencies, groups: dict[str, list[Competency]],
                 **kwargs):
        """``groups``: what each whole-group tick stands for, by its key, in the framework's order."""
        kwargs.setdefault("initial", {"target_level": FIRST_PROFICIENT})
        super().__init__(*args, **kwargs)
        self.picker_groups = groups
        self.fields["everything"].label = f"Select all in {framework}"
        self.fields["groups"].choices = [(key, key) for key in groups]
        self.fields["competencies"].queryset = competencies
        self.fields["competencies"].label = f"Competencies of {framework}"
        # Only proficient levels can be targets ("Not yet competent" never is one).
        levels = [
            (str(index), _level_label(level)) for index, level in enumerate(framework.scale.levels)
            if level.get("proficient")
        ]
        self.fields["target_level"].choices = [
            (FIRST_PROFICIENT, "The first proficient level of each competency's scale"),
            *levels,
        ]
        self.fields[
            "target_level"
        ].help_text = f"Levels of the framework's scale, “{framework.scale.name}”."

    def clean(self):
        cleaned = super().clean()
        if "competencies" not in cleaned or self.has_error("groups"):
            return cleaned
        keys = list(self.picker_groups) if cleaned.get("everything") else cleaned.get("groups", [])
        picked = {*cleaned["competencies"], *(c for key in keys for c in self.picker_groups[key])}
        if not picked:
            self.add_error("competencies", "Select at least one competency")
        else:
            cleaned["competencies"] = sorted(picked, key=lambda c: (c.sort_order, c.pk))
        return cleaned


class RoleProfileItemForm(forms.Form):
    kind = forms.ChoiceField(
        choices=RoleProfileItem.Kind.choices,
        widget=forms.RadioSelect,
        label="Core or role-specific",
        error_messages={"required": "Choose core or role-specific"},
    )
    target_level = forms.TypedChoiceField(
        choices=(),
        widget=forms.RadioSelect,
        coerce=int,
        label="Level it must reach",
        error_messages={"required": "Choose the level it must reach"},
    )

    def __init__(self, *args, item: RoleProfileItem, **kwargs):
        kwargs.setdefault("initial", {"kind": item.kind, "target_level": str(item.target_level)})
        super().__init__(*args, **kwargs)
        scale = item.competency.effective_scale()
        choices = [
            (str(index), _level_label(level)) for index, level in enumerate(scale.levels) if level.get("proficient")
        ]
        if not scale.is_proficient(item.target_level):  # an old target, kept visible to be changed
            choices.insert(
                0, (str(item.target_level), f"{_level_name(scale, item.target_level)} (not proficient: choose another)")
            )
        self.fields["target_level"].choices = choices
        self.fields["target_level"].help_text = (
            f"The proficient values of “{scale.name}”: a target is a level of competence."
        )


class MappingForm(forms.Form):
    target = CompetencyChoiceField(
        queryset=Competency.objects.none(),
        label="Competency it maps to",
        empty_label="Choose a competency",
        error_messages={
            "required": "Choose the competency it maps to",
            "invalid_choice": "Choose one of the competencies in the list",
        },
    )
    strength = forms.ChoiceField(
        choices=Mapping.Strength.choices,
        widget=forms.RadioSelect,
        label="How closely do they correspond?",
        initial=Mapping.Strength.EQUIVALENT,
        error_messages={"required": "Choose how closely they correspond"},
    )
    note = forms.CharField(
        required=False,
        max_length=Mapping._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        help_text="For example, why they correspond, or what the partial mapping leaves out.",
    )

    def __init__(self, *args, framework: Framework, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = competencies
        self.fields["target"].label = f"Competency of {framework} it maps to"


class MappingImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="A .csv file saved as UTF-8, up to 2 MB.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
        if not (upload.name or "").lower().endswith((".csv", ".txt")):
            raise ValidationError("The selected file must be a CSV file")
        return upload.read()


class CourseForm(forms.Form):
    """A course and what it covers: one set of checkboxes per framework the person sees."""

    name = forms.CharField(
        max_length=200, label="Course name", error_messages={"required": "Enter the course name"}
    )
    provider = forms.CharField(
        max_length=200,
        required=False,
        label="Provider",
        help_text=(
            "Who runs it: your organisation, a university or college, an e-learning provider."
        ),
    )

    def __init__(self, *args, competencies, course=None, **kwargs):
        """``competencies``: every competency the person may choose, with its framework."""
        if course is not None:
            kwargs.setdefault("initial", {"name": course.name, "provider": course.provider})
        super().__init__(*args, **kwargs)
        covered = {c.pk for c in course.covers.all()} if course is not None else set()
        self._by_pk: dict[int, Competency] = {}
        groups: dict[int, tuple[Framework, list[Competency]]] = {}
        for competency in competencies:
            self._by_pk[competency.pk] = competency
            groups.setdefault(competency.framework_id, (competency.framework, []))[1].append(
                competency
            )
        self.cover_fields = []
        for framework, members in groups.values():
            name = f"covers_{framework.pk}"
            self.fields[name] = forms.TypedMultipleChoiceField(
                choices=[(c.pk, f"{c.id_number} {c.name}") for c in members],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"What it covers in {framework}",
                initial=[c.pk for c in members if c.pk in covered],
            )
            self.cover_fields.append(name)
        if self.cover_fields:
            self.fields[
                self.cover_fields[0]
            ].help_text = "Select all the competencies the course covers."

    def service_fields(self) -> dict:
        chosen = [pk for name in self.cover_fields for pk in self.cleaned_data.get(name, [])]
        return {
            "name": self.cleaned_data["name"],
            "provider": self.cleaned_data["provider"],
            "covers": [self._by_pk[pk] for pk in chosen],
        }
