"""Forms for the trainee-record screens. They turn input into the arguments of
trainees/services.py; the services validate again and their messages come back to the field
they are about (views: ``core.forms.add_service_errors`` with ``by_message=constraint_fields()``)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from core.forms import PersonChoiceField
from nhsuk_forms.fields import DateField
from programmes.models import ClinicalArea, Membership, Organisation, Role

from .models import AgendaForChangeBand, Enrolment, LearningContract, StudySession, Trainee, enrolment_date_problem
from .selectors import enrolments_active_elsewhere
from .services import DEFAULT_EXPECTATIONS

User = get_user_model()

# Messages of model constraints that are about one field: full_clean reports them for the
# whole form, but people should see them next to the field they must change.
CONSTRAINT_FIELDS = {
    "trainee_unique_employee_number_per_org": "employee_number",
    "enrolment_unique_trainee_per_cohort": "trainee",
    "study_session_hours_in_range": "hours",
    "study_session_lost_needs_reason": "lost_reason",
    "enrolment_completed_has_outcome": "outcome",
}


def constraint_fields() -> dict[str, str]:
    """The message of each constraint in CONSTRAINT_FIELDS, with the field it is about."""
    messages = {}
    for model in (Trainee, Enrolment, StudySession):
        for constraint in model._meta.constraints:
            field = CONSTRAINT_FIELDS.get(constraint.name)
            if field:
                messages[str(constraint.violation_error_message)] = field
    return messages


class _Conditional:
    """A question needed only after some answers (a reason when pausing, why study time was
    lost): the form's clean() or the service says when. Marked required so that it is not
    labelled "(optional)", but an empty answer passes the field itself."""

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


class ConditionalChoiceField(_Conditional, forms.ChoiceField):
    pass


class ConditionalCharField(_Conditional, forms.CharField):
    pass


def person_choices(queryset):
    return queryset.order_by("last_name", "first_name", "username")


# --- Trainees ---------------------------------------------------------------------------------


class TraineeForm(forms.Form):
    """A trainee's record. The choices are the organisation's own wards and people. Editing,
    it carries the fingerprint of the record it was drawn from (see trainee_update)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(label="Email address", required=False)
    employee_number = forms.CharField(
        max_length=30, help_text="Unique within the organisation, as on the payroll."
    )
    band = forms.ChoiceField(
        label="Agenda for Change band", required=False,
        choices=[("", "Choose a band"), *AgendaForChangeBand.choices],
    )
    job_title = forms.CharField(max_length=150, required=False)
    clinical_area = forms.ModelChoiceField(
        label="Ward or clinical area", queryset=ClinicalArea.objects.none(), required=False,
        empty_label="Choose a ward",
    )
    line_manager = PersonChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Choose a line manager"
    )
    mentor = PersonChoiceField(
        label="Mentor or assessor", queryset=User.objects.none(), required=False,
        empty_label="Choose a mentor",
    )
    user = PersonChoiceField(
        label="Ladder login", queryset=User.objects.none(), required=False,
        empty_label="No login yet",
        help_text="People with the trainee role in this organisation who have no record yet.",
    )

    def __init__(self, *args, organisation: Organisation, trainee: Trainee | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        in_org = Membership.objects.active().filter(organisation=organisation)

        def with_role(*roles):
            return person_choices(
                User.objects.filter(pk__in=in_org.filter(role__in=roles).values("user_id"))
            )

        wards = ClinicalArea.objects.filter(organisation=organisation)
        self.fields["clinical_area"].queryset = wards
        self.fields["line_manager"].queryset = with_role(Role.MANAGER, Role.TRAINING_LEAD)
        self.fields["mentor"].queryset = with_role(Role.MENTOR)
        logins = with_role(Role.TRAINEE).filter(trainee_record__isnull=True)
        if trainee is not None and trainee.user_id:
            logins = person_choices(User.objects.filter(
                Q(pk__in=logins.values("pk")) | Q(pk=trainee.user_id)
            ))
        self.fields["user"].queryset = logins

    def clean_employee_number(self) -> str:
        return self.cleaned_data["employee_number"].strip()


# --- Enrolments -------------------------------------------------------------------------------

STARTING_STATUSES = [
    (Enrolment.Status.ACTIVE, "Active: they have started"),
    (Enrolment.Status.APPLIED, "Applied: not started yet"),
]


class EnrolForm(forms.Form):
    trainee = forms.ModelChoiceField(
        queryset=Trainee.objects.none(), empty_label="Choose a trainee",
        help_text="Trainees of the organisation who are not on this cohort yet.",
    )
    enrolled_on = DateField(label="Enrolment date")
    status = forms.ChoiceField(
        label="Starting status", choices=STARTING_STATUSES, widget=forms.RadioSelect,
        initial=Enrolment.Status.ACTIVE,
    )
    enrol_anyway = forms.BooleanField(
        required=False, label="Enrol them on this cohort as well",
        help_text="Only asked when the trainee is already active on another cohort.",
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.active_elsewhere: list[Enrolment] = []
        self.fields["trainee"].queryset = Trainee.objects.filter(
            organisation_id=cohort.programme.organisation_id
        ).exclude(enrolments__cohort=cohort)
        self.fields["trainee"].label_from_instance = (
            lambda t: f"{t.full_name} ({t.employee_number})"
        )
        # Someone who has applied but not started joins on the cohort's first day.
        self.fields["enrolled_on"].help_text = (
            f"The day they join the cohort, from its start ({cohort.starts_on:%-d %B %Y}) to its "
            f"expected end ({cohort.ends_on:%-d %B %Y}). For someone who has applied and not started "
            "yet, use the start date."
        )

    def clean(self):
        cleaned = super().clean()
        trainee = cleaned.get("trainee")
        if trainee is not None:
            # Two programmes at once is possible but rarely meant: say so, link to the other
            # enrolment(s), and enrol only once the lead confirms.
            self.active_elsewhere = enrolments_active_elsewhere(
                trainee_ids=[trainee.pk], cohort=self.cohort
            ).get(trainee.pk, [])
            if self.active_elsewhere and not cleaned.get("enrol_anyway"):
                self.add_error("enrol_anyway", (
                    f"{trainee.full_name} is already on another programme. Select "
                    "“Enrol them on this cohort as well” to go ahead, or choose another trainee"
                ))
        return cleaned

    def clean_enrolled_on(self):
        day = self.cleaned_data["enrolled_on"]
        if problem := enrolment_date_problem(day, self.cohort):
            raise ValidationError(problem)
        return day


class _AnyStatusField(forms.ChoiceField):
    """Offers the allowed next statuses, but lets any real status through to the service,
    whose message says what this enrolment can become (the form may be stale)."""

    def valid_value(self, value) -> bool:
        return value in Enrolment.Status.values


class TransitionForm(forms.Form):
    use_required_attribute = False  # conditional questions; the server says what is missing
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_status = _AnyStatusField(label="New status", widget=forms.RadioSelect)
    reason = ConditionalCharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when pausing or withdrawing. Kept in the status history.",
    )
    outcome = ConditionalChoiceField(
        label="Outcome", choices=Enrolment.Outcome.choices, widget=forms.RadioSelect,
    )
    outcome_detail = forms.CharField(
        label="Further training", max_length=200, required=False,
        help_text="If they progressed to further training, what and where: for example, "
        "nursing degree (abbreviated), Westmoor University.",
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        kwargs.setdefault("initial", {})["version"] = enrolment.version
        kwargs.setdefault("auto_id", "status_%s")  # several forms share the enrolment page
        super().__init__(*args, **kwargs)
        allowed = Enrolment.ALLOWED_TRANSITIONS[enrolment.status]
        self.fields["to_status"].choices = [
            (value, label) for value, label in Enrolment.Status.choices if value in allowed
        ]


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    study_hours_per_week = forms.DecimalField(
        label="Protected study hours a week", max_digits=4, decimal_places=1,
        min_value=Decimal(0), max_value=Decimal(40), required=False,
        error_messages={
            "min_value": "Protected study hours a week must be between 0 and 40",
            "max_value": "Protected study hours a week must be between 0 and 40",
        },
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "decimal"}),
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        kwargs.setdefault("initial", {}).update(
            version=enrolment.version, study_hours_per_week=enrolment.study_hours_per_week
        )
        super().__init__(*args, **kwargs)
        self.fields["study_hours_per_week"].help_text = (
            f"Leave blank to follow the cohort's plan of "
            f"{enrolment.cohort.study_hours_per_week} hours a week."
        )


class ContractForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    trainee_expectations = forms.CharField(
        label="The trainee will", widget=forms.Textarea(attrs={"rows": 4})
    )
    mentor_expectations = forms.CharField(
        label="The mentor will", widget=forms.Textarea(attrs={"rows": 4})
    )
    manager_expectations = forms.CharField(
        label="The line manager will", widget=forms.Textarea(attrs={"rows": 4})
    )
    lecturer_expectations = forms.CharField(
        label="The lecturer will", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, contract: LearningContract, **kwargs):
        initial = {name: getattr(contract, name) for name in DEFAULT_EXPECTATIONS}
        kwargs.setdefault("initial", {}).update(initial, version=contract.version)
        super().__init__(*args, **kwargs)

    def expectations(self) -> dict[str, str]:
        return {name: self.cleaned_data[name].strip() for name in DEFAULT_EXPECTATIONS}


class SignForm(forms.Form):
    party = forms.ChoiceField(choices=LearningContract.Party.choices)
    # The wording the person read: if a lead changed it since, they must read it again.
    contract_version = forms.IntegerField()


# --- Study time and reviews -------------------------------------------------------------------


class StudySessionForm(forms.Form):
    use_required_attribute = False  # conditional questions; the server says what is missing
    date = DateField(label="Date of the session")
    hours = forms.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal(24),
        help_text="For example, 3.5",
        error_messages={
            "required": "Enter the hours of the session",
            "min_value": "Hours must be between 0.5 and 24",
            "max_value": "Hours must be between 0.5 and 24",
            "max_decimal_places": "Hours must be in whole or half hours, like 3.5",
        },
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "decimal"}),
    )
    outcome = forms.ChoiceField(
        label="Was the time taken or lost?", choices=StudySession.Outcome.choices,
        widget=forms.RadioSelect, initial=StudySession.Outcome.TAKEN,
    )
    lost_reason = ConditionalChoiceField(
        label="Why was it lost?", choices=StudySession.LostReason.choices,
        widget=forms.RadioSelect,
    )
    cover_arranged = forms.BooleanField(
        label="Cover was arranged on the ward", required=False,
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "session_%s")  # several forms share the enrolment page
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == StudySession.Outcome.LOST and not cleaned.get("lost_reason"):
            self.add_error("lost_reason", "Say why the study time was lost.")
        if cleaned.get("outcome") == StudySession.Outcome.TAKEN:
            cleaned["lost_reason"] = ""
        return cleaned


PRESENT_CHOICES = [
    ("trainee", "Trainee"), ("manager", "Line manager"), ("tutor", "Tutor or lecturer"),
]


class ReviewForm(forms.Form):
    held_on = DateField(label="Date of the review")
    present = forms.MultipleChoiceField(
        label="Who was there?", choices=PRESENT_CHOICES, widget=forms.CheckboxSelectMultiple,
        required=False, help_text="Select all that apply.",
    )
    notes = forms.CharField(label="What was discussed", widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(
        label="Agreed actions", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review_%s")  # several forms share the enrolment page
        kwargs.setdefault("initial", {}).setdefault("present", [c for c, _ in PRESENT_CHOICES])
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        present = set(self.cleaned_data["present"])
        return {
            "held_on": self.cleaned_data["held_on"],
            "notes": self.cleaned_data["notes"],
            "actions": self.cleaned_data["actions"],
            "trainee_present": "trainee" in present,
            "manager_present": "manager" in present,
            "tutor_present": "tutor" in present,
        }


# --- Ward view ----------------------------------------------------------------------------------

PERIODS = [
    ("", "All time"), ("4", "The last 4 weeks"), ("12", "The last 12 weeks"),
    ("52", "The last year"),
]


class PeriodForm(forms.Form):
    weeks = forms.ChoiceField(
        label="Period", choices=PERIODS, required=False,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
