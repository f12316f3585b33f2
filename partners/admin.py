from django.contrib import admin

from .models import Invitation, TierTarget


@admin.register(TierTarget)
class TierTargetAdmin(admin.ModelAdmin):
    list_display = ("tier", "certification", "domain", "target", "organisation")
    list_filter = ("tier", "certification")
    autocomplete_fields = ()
    raw_id_fields = ("organisation",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are written by the partner pages (the token hash is never shown)."""

    list_display = ("email", "organisation", "status", "created_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("email", "organisation__name")
    exclude = ("token_hash",)
    raw_id_fields = ("organisation", "invited_by", "membership")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
