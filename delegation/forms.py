"""Forms for partnerships, partner sign-off, delegation records and supervision contacts."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from nhsuk_forms.fields import DateField
from programmes.models import Organisation, Partnership
from programmes.services import organisation_find

from .models import Delegation, PractitionerRegistration, SupervisionContact


class PartnershipProposeForm(forms.Form):
    organisation = forms.CharField(
        label="Organisation's exact name or code",
        max_length=200,
        help_text="Ask the organisation for its name as it appears in Ladder, or its code. "
        "For example, Riverside Community Health NHS Trust.",
        error_messages={"required": "Enter the organisation's exact name or code"},
    )
    purpose = forms.CharField(
        label="What would they do on the programme?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, district nurses assess and delegate insulin administration.",
        error_messages={"required": "Say what the partner would do"},
    )
    shares_cohorts = forms.BooleanField(
        label="Let them see the programme's cohorts and their dates", required=False, initial=True
    )

    def clean_organisation(self) -> Organisation:
        found = organisation_find(name_or_code=self.cleaned_data["organisation"])
        if found is None:
            raise ValidationError(
                "No organisation in Ladder has exactly that name or code. Check it with them."
            )
        return found


class EndForm(forms.Form):
    reason = forms.CharField(
        label="Why is it ending? (optional)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Give the reason in 1,000 characters or fewer"},
    )


class PartnershipCompetenciesForm(forms.Form):
    competencies = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Competencies the partner's registered practitioners may assess",
        help_text="Only these, for your trainees on this programme. Select all that apply.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["competencies"]
        field.queryset = choices
        field.label_from_instance = lambda c: (
            f"{c.id_number} {c.name}" + (" (delegated healthcare task)" if c.is_delegated_task else "")
        )


class DelegationForm(forms.ModelForm):
    task = forms.ChoiceField(
        label="Care worker and task",
        help_text="Only care workers currently signed off as competent for the task are listed.",
        error_messages={"required": "Choose the care worker and the task"},
    )

    class Meta:
        model = Delegation
        fields = ["setting", "starts_on", "supervision", "supervision_detail", "review_on"]
        field_classes = {"starts_on": DateField, "review_on": DateField}
        widgets = {
            "supervision": forms.RadioSelect,
            "supervision_detail": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"supervision": "Supervision"}

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = {t.key: t for t in tasks}
        self.fields["task"].choices = [("", "Choose")] + [
            (t.key, f"{t.trainee.first_name} {t.trainee.last_name} ({t.trainee.organisation.name}): "
                    f"{t.competency.name}, signed off {t.signed_off_on:%d %b %Y}")
            for t in tasks
        ]
        self.fields["supervision"].choices = Delegation.Supervision.choices  # no blank radio
        self.order_fields(["task", *self.Meta.fields])

    def clean_task(self):
        task = self.tasks.get(self.cleaned_data["task"])
        if task is None:
            raise ValidationError("Choose the care worker and the task from the list")
        return task

    def clean(self):
        cleaned = super().clean()
        starts_on, review_on = cleaned.get("starts_on"), cleaned.get("review_on")
        if starts_on and review_on and review_on <= starts_on:
            # The model's constraint (delegation_review_after_start) would say it above the
            # form; the person changes the review date, so it is said there.
            self.add_error("review_on", "The review date must be after the start date")
        return cleaned


class SupervisionContactForm(forms.ModelForm):
    class Meta:
        model = SupervisionContact
        fields = ["occurred_on", "mode", "observed", "concerns"]
        field_classes = {"occurred_on": DateField}
        widgets = {
            "mode": forms.RadioSelect,
            "observed": forms.Textarea(attrs={"rows": 3}),
            "concerns": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"concerns": "Concerns (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = SupervisionContact.Mode.choices  # no blank radio


class RegistrationForm(forms.Form):
    """A training lead records one of their own staff's professional registration. ``people``
    (memberships) only when recording a new one; an existing record keeps its person."""

    person = forms.ChoiceField(
        label="Person",
        help_text="Mentors / assessors and line managers of your organisation with no registration recorded yet.",
        error_messages={"required": "Choose the person", "invalid_choice": "Choose the person from the list"},
    )
    register = forms.ChoiceField(
        label="Professional register", widget=forms.RadioSelect,
        choices=PractitionerRegistration.Register.choices,
        error_messages={"required": "Choose the register they are on"},
    )
    registration_number = forms.CharField(
        label="Registration number", max_length=30,
        help_text="As it appears on the register: an NMC PIN like 12A3456E, an HCPC number like PH123456.",
        error_messages={"required": "Enter the registration number"},
    )
    profession = forms.CharField(
        label="Registered profession", max_length=100,
        help_text="For example, district nurse or physiotherapist.",
        error_messages={"required": "Enter their registered profession"},
    )
    expires_on = DateField(
        label="Registration expires on",
        help_text="The renewal date on the register. For example, 31 3 2027.",
        error_messages={"required": "Enter the date the registration expires"},
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            self.people = {str(m.pk): m for m in people}
            self.fields["person"].choices = [("", "Choose")] + [
                (str(m.pk), f"{m.person_name} ({m.get_role_display()})") for m in people
            ]

    def clean_person(self):
        person = self.people.get(self.cleaned_data["person"])
        if person is None:
            raise ValidationError("Choose the person from the list")
        return person


__all__ = [
    "RegistrationForm",
    "DelegationForm", "EndForm", "PartnershipCompetenciesForm",
    "PartnershipProposeForm", "SupervisionContactForm", "Partnership",
]
