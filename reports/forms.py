from django import forms

from .models import CaseStudyNarrative


class NarrativeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = CaseStudyNarrative
        fields = ["organisation_text", "what_we_did_and_why", "how_we_did_it",
                  "results_and_next_steps", "tips_for_others", "contact_details"]
        help_texts = {
            "organisation_text": "Who you are and the services you provide.",
            "what_we_did_and_why": "The need you saw and the role you developed to meet it.",
            "how_we_did_it": "The project team, the mapping, the education and how you managed the change. "
                             "Milestones, frameworks and the role profile are added from Ladder's records.",
            "results_and_next_steps": "What happened next: further cohorts, new settings. "
                                      "The figures are added from the records.",
            "tips_for_others": "What you would tell another organisation starting out.",
            "contact_details": "Name, job title and how to get in touch.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class ExportForm(forms.Form):
    """What a planner exports: which tables, in which format."""

    datasets = forms.MultipleChoiceField(
        label="Tables to export", widget=forms.CheckboxSelectMultiple,
        help_text="Each table is a sheet of the workbook, or a CSV file (several CSV files come in a ZIP).",
        error_messages={"required": "Choose at least one table to export."},
    )
    file_format = forms.ChoiceField(
        label="Format", widget=forms.RadioSelect,
        choices=[("xlsx", "Excel workbook (.xlsx)"), ("csv", "CSV (comma-separated values)")],
        initial="xlsx", error_messages={"required": "Choose a format."},
    )

    def __init__(self, *args, **kwargs):
        from .exports import DATASETS

        super().__init__(*args, **kwargs)
        self.fields["datasets"].choices = [(name, label) for name, (label, _) in DATASETS.items()]
        self.fields["datasets"].initial = list(DATASETS)
