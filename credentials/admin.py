from django.contrib import admin

from .models import Credential, IssuerKey


@admin.register(IssuerKey)
class IssuerKeyAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kid", "created_at", "retired_at")
    list_filter = ("organisation",)
    exclude = ("private_key_encrypted",)
    readonly_fields = ("organisation", "kid", "public_jwk", "created_at", "retired_at")

    def has_add_permission(self, request):  # keys are made by rotate_issuer_key
        return False


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("achievement_name", "subject_name", "organisation", "issued_at", "revoked_at", "suspended_at")
    list_filter = ("organisation", "kind")
    readonly_fields = [f.name for f in Credential._meta.concrete_fields]

    def has_add_permission(self, request):
        return False
