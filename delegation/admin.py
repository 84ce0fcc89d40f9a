from django import forms
from django.contrib import admin

from . import services
from .models import PractitionerRegistration


class PractitionerRegistrationAdminForm(forms.ModelForm):
    """The admin writes the row itself, so it keeps the number as the service does (normalised)
    and refuses one already recorded for another person (services.registration_number_holder)."""

    class Meta:
        model = PractitionerRegistration
        fields = ["membership", "profession", "register", "registration_number", "expires_on"]

    def clean(self):
        cleaned = super().clean()
        membership, register = cleaned.get("membership"), cleaned.get("register")
        number = services.normalised_registration_number(cleaned.get("registration_number", ""))
        if number:
            cleaned["registration_number"] = number
        if membership is not None and register and number:
            holder = services.registration_number_holder(
                register=register, registration_number=number, user_id=membership.user_id
            )
            if holder is not None:
                self.add_error("registration_number", services.number_taken_message(holder, membership.organisation_id))
        return cleaned


@admin.register(PractitionerRegistration)
class PractitionerRegistrationAdmin(admin.ModelAdmin):
    """Recording a professional registration (NMC, HCPC) for a mentor or manager membership.
    Changes go through django-auditlog like every other model."""

    form = PractitionerRegistrationAdminForm
    list_display = ["membership", "profession", "register", "registration_number"]
    list_select_related = ["membership__user", "membership__organisation"]
    search_fields = ["membership__user__last_name", "registration_number"]
    autocomplete_fields = ["membership"]
