from django.contrib import admin

from .models import Scenario, ScenarioVersion


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "created_at")


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(admin.ModelAdmin):
    list_display = ("scenario", "version", "title", "engine_version", "published_at")
    readonly_fields = [f.name for f in ScenarioVersion._meta.fields]

    # Published versions are immutable; publish with `manage.py publish_scenarios`.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
