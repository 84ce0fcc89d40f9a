"""Forms for instruments, stages and recording an interview. They turn input into what the
services take; the services check again and write."""

from __future__ import annotations

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.text import Truncator

from core.forms import LinesField, PersonChoiceField
from nhsuk_forms.fields import DateField

from ..models import Interview, Question, Subject
from . import selectors
from .services import answer_field_name

K = Question.Kind


# --- Instruments -------------------------------------------------------------------------------

class InstrumentForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name for the instrument"},
    )
    description = forms.CharField(
        label="What it is for", required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label="Question", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the question"},
    )
    kind = forms.ChoiceField(label="Kind of answer", choices=K.choices, initial=K.TEXT)
    help_text = forms.CharField(
        label="Hint", required=False, max_length=300,
        help_text="Shown under the question, for example what a good answer covers.",
    )
    scale_low_label = forms.CharField(
        label="For a scale: what 1 means", required=False, max_length=60,
        help_text="For example, Not at all confident.",
    )
    scale_high_label = forms.CharField(
        label="For a scale: what 5 means", required=False, max_length=60,
        help_text="For example, Very confident.",
    )
    choices = LinesField(label="For a choice: the options, one a line")
    required = forms.BooleanField(
        label="An answer is needed to complete the interview", required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == K.CHOICE and len(data.get("choices") or []) < 2:
            self.add_error("choices", "Enter at least two options, one a line.")
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[ORDERING_FIELD_NAME].label = "Position"
        form.fields[ORDERING_FIELD_NAME].help_text = "Change the numbers to reorder the questions."
        form.fields[ORDERING_FIELD_NAME].widget.attrs["class"] = "nhsuk-input--width-2"
        form.fields[ORDERING_FIELD_NAME].required = False
        form.fields[DELETION_FIELD_NAME].label = "Remove this question"

    def questions(self) -> list[dict]:
        """The questions to keep, in the order wanted (for services.instrument_update)."""
        return [
            {k: v for k, v in form.cleaned_data.items()
             if k not in (ORDERING_FIELD_NAME, DELETION_FIELD_NAME)}
            for form in self.ordered_forms
        ]


QuestionFormSet = forms.formset_factory(
    QuestionForm, formset=BaseQuestionFormSet, extra=2, can_order=True, can_delete=True,
    max_num=60, validate_max=True,
)


def question_initial(questions) -> list[dict]:
    return [
        {
            "key": q.key, "text": q.text, "kind": q.kind, "help_text": q.help_text,
            "scale_low_label": q.scale_low_label, "scale_high_label": q.scale_high_label,
            "choices": q.choices, "required": q.required, ORDERING_FIELD_NAME: position,
        }
        for position, q in enumerate(questions, start=1)
    ]


# --- Stages ------------------------------------------------------------------------------------

class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} (version {obj.version})"


class StageForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="For example, Mid-way.",
        error_messages={"required": "Enter a name for the stage"},
    )
    opens_on = DateField(
        label="Opens on", error_messages={"required": "Enter the date the stage opens"},
    )
    due_on = DateField(
        label="Due by", help_text="Interviews not done by then show as overdue.",
        error_messages={"required": "Enter the date its interviews are due by"},
    )
    trainee_instrument = InstrumentChoiceField(
        label="Trainee interview", queryset=None, required=False,
        empty_label="No trainee interviews at this stage",
    )
    manager_instrument = InstrumentChoiceField(
        label="Manager interview", queryset=None, required=False,
        empty_label="No manager interviews at this stage",
    )

    def __init__(self, *args, organisation_id: int, instruments_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee_instrument"].queryset = selectors.instrument_choices(
            organisation_id=organisation_id, subject=Subject.TRAINEE
        )
        self.fields["manager_instrument"].queryset = selectors.instrument_choices(
            organisation_id=organisation_id, subject=Subject.MANAGER
        )
        if instruments_locked:
            for name in ("trainee_instrument", "manager_instrument"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "The stage is open: its interviews use this instrument."

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens_on"), data.get("due_on")
        if opens and due and due < opens:
            self.add_error("due_on", "The due date must be on or after the opening date.")
        return data


def _family_choices(organisation_id: int, subject: str, none_label: str) -> list[tuple[str, str]]:
    return [("", none_label)] + [
        (i.family, i.name)
        for i in selectors.instrument_choices(organisation_id=organisation_id, subject=subject)
    ]


class ProgrammeStageForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter a name for the stage"},
    )
    weeks_after_start = forms.IntegerField(
        label="Opens this many weeks after the cohort starts", min_value=0, max_value=520,
    )
    window_weeks = forms.IntegerField(
        label="Weeks to hold the interviews", min_value=1, max_value=52, initial=4,
    )
    trainee_instrument_family = forms.ChoiceField(label="Trainee interview", required=False)
    manager_instrument_family = forms.ChoiceField(label="Manager interview", required=False)

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee_instrument_family"].choices = _family_choices(
            organisation_id, Subject.TRAINEE, "No trainee interviews"
        )
        self.fields["manager_instrument_family"].choices = _family_choices(
            organisation_id, Subject.MANAGER, "No manager interviews"
        )
        for name in ("weeks_after_start", "window_weeks"):
            self.fields[name].widget.attrs["class"] = "nhsuk-input--width-3"


class BaseProgrammeStageFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[DELETION_FIELD_NAME].label = "Remove this stage"

    def stages(self) -> list[dict]:
        rows = [
            {k: v for k, v in form.cleaned_data.items() if k != DELETION_FIELD_NAME}
            for form in self.forms
            if form.has_changed() or form in self.initial_forms
            if not (self.can_delete and self._should_delete_form(form))
        ]
        return sorted(rows, key=lambda row: row["weeks_after_start"])


ProgrammeStageFormSet = forms.formset_factory(
    ProgrammeStageForm, formset=BaseProgrammeStageFormSet, extra=1, can_delete=True,
    max_num=20, validate_max=True,
)


# --- Recording an interview ----------------------------------------------------------------------

YES_NO = [("yes", "Yes"), ("no", "No")]


def _scale_choices(question: Question) -> list[tuple[str, str]]:
    low, high = question.scale_low_label, question.scale_high_label
    labels = {1: f"1 – {low}" if low else "1", 5: f"5 – {high}" if high else "5"}
    return [(str(n), labels.get(n, str(n))) for n in range(1, 6)]


def required_message(question: Question) -> str:
    """Names the question, so the error summary says which ones are missing."""
    return f"Answer “{Truncator(question.text).chars(70)}” to complete the interview"


def answer_field(question: Question) -> forms.Field:
    """The form field for one question, by its kind. Required questions are marked required
    (so they are not labelled optional); a draft save lifts that (see InterviewForm)."""
    common = {
        "label": question.text, "help_text": question.help_text, "required": question.required,
        "error_messages": {"required": required_message(question)},
    }
    if question.kind == K.SCALE:
        return forms.ChoiceField(choices=_scale_choices(question), widget=forms.RadioSelect, **common)
    if question.kind == K.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if question.kind == K.CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if question.kind == K.NUMBER:
        return forms.DecimalField(
            max_digits=10, decimal_places=2,
            widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5"}),
            **{**common, "error_messages": {**common["error_messages"],
                                            "invalid": "Enter a number, like 3 or 2.5."}},
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)


class InterviewForm(forms.Form):
    """One field per question of the interview's instrument (``q_<key>``), then who held it,
    when, and consent to quote. ``complete=False`` (a draft) asks for nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, interview: Interview, questions: list[Question], answers: dict,
                 user, complete: bool = False, **kwargs):
        initial = {answer_field_name(q.key): answers[q.pk].value for q in questions if q.pk in answers}
        initial.update(
            version=interview.version,
            interviewer=interview.interviewer_id or user.pk,
            held_on=interview.held_on,
            consent_to_quote=interview.consent_to_quote,
        )
        super().__init__(*args, initial=initial, **kwargs)
        self.questions = questions
        self.complete = complete
        for question in questions:
            self.fields[answer_field_name(question.key)] = answer_field(question)
        organisation_id = interview.stage.cohort.programme.organisation_id
        self.fields["interviewer"] = PersonChoiceField(
            label="Who held the interview",
            queryset=selectors.interviewer_choices(organisation_id=organisation_id),
            empty_label=None,
            help_text=("For a manager completing their own interview, themself."
                       if interview.subject == Subject.MANAGER else ""),
        )
        self.fields["held_on"] = DateField(
            label="Date the interview was held",
            error_messages={"required": "Enter the date the interview was held"},
        )
        self.fields["consent_to_quote"] = forms.BooleanField(
            required=False,
            label="The interviewee agrees to be quoted",
            help_text=(
                "Ask at the end of the interview. Only with this agreement may their words be "
                "quoted in reports and case studies, and never with their name."
            ),
        )
        self.order_fields([*(answer_field_name(q.key) for q in questions),
                           "interviewer", "held_on", "consent_to_quote", "version"])

    def full_clean(self):
        # A draft checks what was entered, but asks for nothing; completing asks for the
        # required questions. Labels keep saying which are required either way.
        if not self.complete:
            kept = {name: field.required for name, field in self.fields.items()}
            for name, field in self.fields.items():
                if name != "version":
                    field.required = False
            try:
                super().full_clean()
            finally:
                for name, required in kept.items():
                    self.fields[name].required = required
        else:
            super().full_clean()

    def answer_fields(self) -> list:
        return [self[answer_field_name(q.key)] for q in self.questions]

    def about_fields(self) -> list:
        return [self[name] for name in ("interviewer", "held_on", "consent_to_quote")]

    def answers(self) -> dict[str, object]:
        return {q.key: self.cleaned_data.get(answer_field_name(q.key)) for q in self.questions}
