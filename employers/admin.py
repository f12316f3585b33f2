"""Programme staff create employer accounts and add their members here (Django admin), through
the services, so every change is audited. API keys are read-only here (only their prefix is
known); staff may revoke one."""

from django.contrib import admin, messages

from config.errors import DomainError

from . import services
from .models import ApiKey, Employer, EmployerMember


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    fields = ("name", "slug")

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            services.employer_rename(actor=request.user, employer=obj, name=obj.name)
            return
        created = services.employer_create(actor=request.user, name=obj.name, slug=obj.slug)
        obj.pk, obj.created_at = created.pk, created.created_at


@admin.register(EmployerMember)
class EmployerMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "employer", "added_at", "removed_at")
    list_filter = ("employer",)
    search_fields = ("user__email", "employer__name")
    raw_id_fields = ("user",)
    fields = ("employer", "user")
    actions = ["remove_members"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        member = services.member_add(actor=request.user, employer=obj.employer, user=obj.user)
        obj.pk, obj.added_at = member.pk, member.added_at

    @admin.action(description="Remove from the employer")
    def remove_members(self, request, queryset):
        for member in queryset.filter(removed_at__isnull=True):
            services.member_remove(actor=request.user, member=member)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "employer", "created_at", "last_used_at", "revoked_at")
    list_filter = ("employer",)
    search_fields = ("prefix", "name", "employer__name")
    exclude = ("digest",)
    actions = ["revoke_keys"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke")
    def revoke_keys(self, request, queryset):
        for key in queryset.filter(revoked_at__isnull=True):
            try:
                services.api_key_revoke(actor=request.user, key=key)
            except DomainError as error:
                messages.error(request, error.message)
