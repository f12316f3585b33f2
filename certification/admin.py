from django.contrib import admin

from config.admin import ReadOnlyAdmin

from .models import Credential, StatusList


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "holder",
        "certification",
        "issued_at",
        "valid_until",
        "revoked_at",
        "suspended_at",
    )
    list_filter = ("certification",)
    search_fields = ("id", "holder__email")
    readonly_fields = [f.name for f in Credential._meta.fields]


@admin.register(StatusList)
class StatusListAdmin(admin.ModelAdmin):
    list_display = ("id", "issuer", "purpose", "allocated", "version", "updated_at")
    readonly_fields = (
        "issuer",
        "purpose",
        "size",
        "allocated",
        "version",
        "created_at",
        "updated_at",
    )
    exclude = ("bits", "signed")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
