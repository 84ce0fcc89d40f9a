"""Forms for themes, coding, audits and satisfaction. They turn input into what the services
take; the services check again (and say what is wrong, by field)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.forms import LinesField
from nhsuk_forms.fields import DateField

from ..models import AuditTool
from .services import SatisfactionInput, criterion_field


def _whole(label: str, minimum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=minimum, widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "required": f"Enter {label[:1].lower() + label[1:]}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be {minimum} or more",
        },
    )


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme", max_length=100,
        error_messages={"required": "Enter the theme's name",
                        "max_length": "The theme's name must be 100 characters or fewer"},
    )
    description = forms.CharField(
        label="What it covers", max_length=300, required=False,
        help_text="A line to help coders apply it consistently.",
        error_messages={"max_length": "The description must be 300 characters or fewer"},
    )


class CodingForm(forms.Form):
    """The coding of one answer: its themes, an excerpt, and whether it may be quoted."""

    themes = forms.MultipleChoiceField(
        label="Themes", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose themes from the programme's code list"},
    )
    excerpt = forms.CharField(
        label="Excerpt", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Copy the words that show the theme from the answer above.",
    )
    is_quote = forms.BooleanField(label="Quotable", required=False)

    def __init__(self, *args, theme_choices, can_quote: bool, who: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices
        quote = self.fields["is_quote"]
        if can_quote:
            quote.help_text = (
                f"The {who} agreed to be quoted. Tick to show the excerpt (or the whole answer) "
                "as an example quote in the findings."
            )
        else:
            quote.disabled = True
            quote.help_text = (
                f"Cannot be quoted: the {who} did not consent to being quoted. The answer still "
                "counts towards the themes."
            )

    def clean_themes(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["themes"]]


class AuditToolForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200,
        error_messages={"required": "Enter the audit tool's name",
                        "max_length": "The name must be 200 characters or fewer"},
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    criteria = LinesField(
        label="Criteria", required=True, help_text="One a line, in the order the audit checks them.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter at least one criterion, one a line"},
    )


class AuditToolChoiceForm(forms.Form):
    tool = forms.ModelChoiceField(
        label="Which audit?", queryset=AuditTool.objects.none(), widget=forms.RadioSelect,
        empty_label=None, error_messages={"required": "Choose an audit tool",
                                          "invalid_choice": "Choose one of your audit tools"},
    )

    def __init__(self, *args, tools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = tools


class AuditRoundForm(forms.Form):
    """One round of a given audit tool: the ward, stage, date, records sampled and, per
    criterion, the records that met it."""

    clinical_area = forms.ModelChoiceField(
        label="Ward or clinical area", queryset=None, empty_label="Choose a ward",
        error_messages={"required": "Choose the ward", "invalid_choice": "Choose one of the programme's wards"},
    )
    stage_name = forms.CharField(
        label="Stage of the programme", max_length=100,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
        error_messages={"required": "Enter the stage of the programme, for example Mid-way"},
    )
    held_on = DateField(label="Date of the audit")
    records_sampled = _whole("Records sampled", 1)

    def __init__(self, *args, tool: AuditTool, criteria, wards, stage_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.criteria = list(criteria)
        self.fields["clinical_area"].queryset = wards
        self.fields["stage_name"].help_text = (
            "The point in the programme the audit belongs to"
            + (f": {', '.join(stage_names)}." if stage_names else ", for example Start, Mid-way or Qualification.")
        )
        self.fields["records_sampled"].help_text = "How many care records were checked."
        for criterion in self.criteria:
            field = _whole(f"Records meeting “{criterion.text}”", 0)
            self.fields[criterion_field(criterion.pk)] = field

    def criterion_fields(self):
        return [self[criterion_field(c.pk)] for c in self.criteria]

    def clean(self):
        data = super().clean()
        sampled = data.get("records_sampled")
        if sampled:
            for criterion in self.criteria:
                name = criterion_field(criterion.pk)
                met = data.get(name)
                if met is not None and met > sampled:
                    self.add_error(name, f"Records meeting “{criterion.text}” must be no more than "
                                         f"the {sampled} records sampled")
        return data

    def results(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[criterion_field(c.pk)] for c in self.criteria}


class SatisfactionForm(forms.Form):
    clinical_area = forms.ModelChoiceField(
        label="Ward or clinical area", queryset=None, empty_label="Choose a ward",
        error_messages={"required": "Choose the ward", "invalid_choice": "Choose one of the programme's wards"},
    )
    period_start = DateField(label="Period start")
    period_end = DateField(label="Period end")
    responses = _whole("Responses", 1)
    score = forms.DecimalField(
        label="Score (% satisfied)", max_digits=4, decimal_places=1, min_value=Decimal(0),
        max_value=Decimal(100), widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        help_text="The percentage of respondents satisfied, from 0 to 100.",
        error_messages={
            "required": "Enter the score",
            "invalid": "The score must be a number, like 87.5",
            "min_value": "The score is a percentage: it must be between 0 and 100",
            "max_value": "The score is a percentage: it must be between 0 and 100",
            "max_digits": "The score is a percentage: it must be between 0 and 100",
            "max_decimal_places": "Give the score to one decimal place at most",
            "max_whole_digits": "The score is a percentage: it must be between 0 and 100",
        },
    )
    source = forms.CharField(
        label="Source", max_length=200, required=False,
        help_text="For example, Productive Ward local survey.",
        error_messages={"max_length": "The source must be 200 characters or fewer"},
    )
    questions = LinesField(
        label="Questions asked", required=False, help_text="One a line.", widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinical_area"].queryset = wards

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after it starts")
        return data

    def item(self) -> SatisfactionInput:
        data = self.cleaned_data
        return SatisfactionInput(
            clinical_area=data["clinical_area"], period_start=data["period_start"],
            period_end=data["period_end"], responses=data["responses"], score=data["score"],
            questions=tuple(data["questions"]), source=data["source"].strip(),
        )


class SatisfactionImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file", help_text="UTF-8, comma separated, with the header row shown above.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )
