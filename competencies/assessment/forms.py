"""Forms for self-assessment, confirmation, reassessment, withdrawal and sign-off statements."""

from __future__ import annotations

from django import forms

from ..models import AssessmentPolicy


def _level_choices(scale) -> list[tuple[str, str]]:
    return [(str(i), level["name"]) for i, level in enumerate(scale.levels)]


class SelfAssessmentForm(forms.Form):
    """One optional rating (the competency's scale) and confidence note per role-profile item:
    a whole profile in one go, or one competency alone (``items`` of one)."""

    def __init__(self, *args, items=(), evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for item in items:
            competency = item.competency
            scale = competency.effective_scale()
            level_name, note_name = f"level_{competency.pk}", f"confidence_{competency.pk}"
            target = scale.levels[item.target_level]["name"] if item.target_level < len(scale.levels) else ""
            self.fields[level_name] = forms.TypedChoiceField(
                label=f"{competency.id_number} {competency.name}",
                required=False,
                coerce=int,
                empty_value=None,
                choices=_level_choices(scale),
                widget=forms.RadioSelect,
                help_text=f"{competency.framework}. Target: {target}.",
            )
            self.fields[note_name] = forms.CharField(
                label=f"How confident you feel: {competency.id_number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
            )
            self.rows.append((competency, level_name, note_name))
        self.fields["evidence"] = forms.MultipleChoiceField(
            label="Evidence to show your assessor",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(e.pk), f"{e.title} ({e.occurred_on:%-d %b %Y})") for e in evidence],
            help_text="Optional: your evidence already in Ladder.",
        )
        if not evidence:
            del self.fields["evidence"]

    def clean(self):
        data = super().clean()
        if self.rows and not any(data.get(level) is not None for _, level, _ in self.rows):
            raise forms.ValidationError("Rate yourself in at least one competency.")
        return data


class ConfirmForm(forms.Form):
    prefix = "confirm"
    level = forms.TypedChoiceField(
        label="Level you confirm",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level you confirm"},
    )
    comment = forms.CharField(
        label="Comment for the trainee",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you confirm a lower level than the trainee's own rating: say why.",
    )

    def __init__(self, *args, scale=None, statement: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _level_choices(scale) if scale else []
        if statement:
            self.fields["agree"] = forms.BooleanField(
                label=f"I confirm: {statement}",
                error_messages={"required": "Confirm the statement, or ask for more evidence instead"},
            )


class MoreEvidenceForm(forms.Form):
    prefix = "more"
    comment = forms.CharField(
        label="What evidence the trainee should add",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what evidence the trainee should add"},
    )


class BulkConfirmForm(forms.Form):
    selected = forms.MultipleChoiceField(
        label="Self-assessments to confirm at the level the trainee chose",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one self-assessment to confirm"},
    )

    def __init__(self, *args, pending=(), statement: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(str(p.pk), str(p.pk)) for p in pending]
        if statement:
            self.fields["agree"] = forms.BooleanField(
                label=f"For each one I confirm: {statement}",
                error_messages={"required": "Confirm the statement for the ones you selected"},
            )


class ReassessForm(forms.Form):
    level = forms.TypedChoiceField(
        label="Level shown at reassessment",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level shown at reassessment"},
    )
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, scale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _level_choices(scale) if scale else []


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why the sign-off is withdrawn",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, after an incident. The trainee and their manager will see this.",
        error_messages={"required": "Say why the sign-off is withdrawn"},
    )


class AssessmentPolicyForm(forms.ModelForm):
    delegated_task_validity_months = forms.IntegerField(
        label="Delegated tasks stay valid for (months)",
        min_value=1,
        max_value=120,
        help_text="Unless the task says otherwise. A year is usual.",
        error_messages={"required": "Enter how many months a delegated task's sign-off stays valid"},
    )

    class Meta:
        model = AssessmentPolicy
        fields = ["assessor_statement", "trainee_declaration", "delegated_task_validity_months"]
        labels = {
            "assessor_statement": "Statement an assessor confirms when signing off",
            "trainee_declaration": "Declaration a trainee makes when rating themself or submitting evidence",
            "delegated_task_validity_months": "Delegated tasks stay valid for (months)",
        }
        widgets = {
            "assessor_statement": forms.Textarea(attrs={"rows": 3}),
            "trainee_declaration": forms.Textarea(attrs={"rows": 3}),
        }
