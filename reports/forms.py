from django import forms
from django.db import models

from nhsuk_forms.fields import DateField

from .documents.case_study import NARRATIVE_FIELDS
from .models import CaseStudyNarrative

TEXT_FIELDS = [name for name in NARRATIVE_FIELDS
               if isinstance(CaseStudyNarrative._meta.get_field(name), models.TextField)]


class NarrativeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    publication_date = DateField(label="Publication date", required=False,
                                 help_text="Shown on the cover. Leave blank to use the day it is produced.")
    logo = forms.FileField(
        required=False, widget=forms.FileInput, label="Organisation logo",
        help_text="Shown on the cover: a PNG or JPEG image, smaller than 2 MB.",
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")

    class Meta:
        model = CaseStudyNarrative
        fields = list(NARRATIVE_FIELDS)
        help_texts = {
            "subtitle": "Under the title on the cover. Leave blank for \u201cA case study of developing a new "
                        "healthcare support worker role\u201d.",
            "authors": "The names (and job titles) of those who wrote it, as they should appear on the cover.",
            "show_produced_with_ladder": "A small line on the cover saying it was produced with Ladder.",
            "organisation_text": "Who you are and the services this programme works in. "
                                 "Written for this programme: nothing is copied from other case studies.",
            "challenges": "What got in the way, and what you did about it.",
            "service_user_quotes": "What people using the services said, one quote a line; after a dash, who said it "
                                   "(for example: \u201cShe explained everything\u201d - a relative, Larch Ward).",
            "costs_and_benefits": "What the programme cost and what it returned: retention, agency spend, time saved.",
            "cost_per_trainee": "Optional, in pounds.",
            "funding_amount": "Optional, in pounds.",
            "backfill_hours": "Optional: hours of cover paid for while trainees studied.",
            "acknowledgements": "Who you would like to thank.",
            "what_we_did_and_why": "The need you saw and the role you developed to meet it.",
            "how_we_did_it": "The project team, the mapping, the education and how you managed the change. "
                             "Milestones, frameworks and the role profile are added from Ladder's records.",
            "results_and_next_steps": "What happened next: further cohorts, new settings. "
                                      "The figures are added from the records.",
            "tips_for_others": "What you would tell another organisation starting out: one tip a line "
                               "(each becomes a point in a list).",
            "contact_details": "Name, job title and how to get in touch.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in TEXT_FIELDS}


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
