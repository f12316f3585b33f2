from django.contrib import admin

from config.admin import ReadOnlyAdmin

from .models import Scenario, ScenarioVersion


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "created_at")


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(ReadOnlyAdmin):
    list_display = ("scenario", "version", "title", "engine_version", "published_at")
    readonly_fields = [f.name for f in ScenarioVersion._meta.fields]
