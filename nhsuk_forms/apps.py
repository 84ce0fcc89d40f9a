from django.apps import AppConfig
from django.utils.translation import ngettext_lazy

# Django's own messages for numbers ("Ensure this value is less than or equal to 24.") are not
# how the NHS.UK design system speaks. Fields that know their label set their own message
# ("Hours must be between 0.5 and 24"); every other number field gets these, which say what to
# enter instead of what went wrong.
NUMBER_MESSAGES = {
    "min_value": "Enter a number that is %(limit_value)s or more",
    "max_value": "Enter a number that is %(limit_value)s or less",
    "step_size": "Enter a multiple of %(limit_value)s",
}
WHOLE_NUMBER_MESSAGES = {**NUMBER_MESSAGES, "invalid": "Enter a whole number, like 12"}
DECIMAL_MESSAGES = {
    **NUMBER_MESSAGES,
    "invalid": "Enter a number, like 3.5",
    "max_digits": ngettext_lazy(
        "Enter a number with no more than %(max)s digit", "Enter a number with no more than %(max)s digits", "max"
    ),
    "max_decimal_places": ngettext_lazy(
        "Enter a number with no more than %(max)s decimal place",
        "Enter a number with no more than %(max)s decimal places",
        "max",
    ),
    "max_whole_digits": ngettext_lazy(
        "Enter a number with no more than %(max)s digit before the decimal point",
        "Enter a number with no more than %(max)s digits before the decimal point",
        "max",
    ),
}
# Said without the field's name: the template pack names the field where it can
# (nhsuk_forms.messages); these are what Django's single-box fields say otherwise.
WEB_ADDRESS = "Enter a web address in the correct format, like https://www.example.com"
INVALID_DATES_AND_TIMES = {
    # Ladder's own DateField (day, month and year boxes) has its own messages; these fields are
    # one box, which would refuse NHS.UK's example "27 3 2026", so the date has none.
    "DateField": "Enter a real date",
    "DateTimeField": "Enter a real date and time",
    "TimeField": "Enter a real time, like 14:30",
}


class NhsukFormsConfig(AppConfig):
    name = "nhsuk_forms"
    verbose_name = "NHS.UK forms"

    def ready(self) -> None:
        from django import forms

        # Field.__init__ gathers default_error_messages along the class's MRO, so updating
        # these dicts reaches every form field made from now on (model forms' too).
        forms.IntegerField.default_error_messages.update(WHOLE_NUMBER_MESSAGES)
        forms.DecimalField.default_error_messages.update(DECIMAL_MESSAGES)
        forms.FloatField.default_error_messages.update({**NUMBER_MESSAGES, "invalid": "Enter a number, like 3.5"})
        forms.URLField.default_error_messages.update({"invalid": WEB_ADDRESS})
        for name, message in INVALID_DATES_AND_TIMES.items():
            getattr(forms, name).default_error_messages.update({"invalid": message})
