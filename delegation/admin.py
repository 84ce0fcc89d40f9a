from django.contrib import admin

from .models import PractitionerRegistration


@admin.register(PractitionerRegistration)
class PractitionerRegistrationAdmin(admin.ModelAdmin):
    """Recording a professional registration (NMC, HCPC) for a mentor or manager membership.
    Changes go through django-auditlog like every other model."""

    list_display = ["membership", "profession", "register", "registration_number"]
    list_select_related = ["membership__user", "membership__organisation"]
    search_fields = ["membership__user__last_name", "registration_number"]
    autocomplete_fields = ["membership"]
