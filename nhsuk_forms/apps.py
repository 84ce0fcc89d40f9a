from django.apps import AppConfig

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
    "max_digits": "Enter a number with no more than %(max)s digits",
    "max_decimal_places": "Enter a number with no more than %(max)s digits after the decimal point",
    "max_whole_digits": "Enter a number with no more than %(max)s digits before the decimal point",
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
