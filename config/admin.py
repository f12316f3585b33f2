"""Admin building blocks shared by the apps."""

import json

from django.contrib import admin
from django.db import models


def json_text(value, encoder=None) -> str:
    """JSON for a page: readable UTF-8, except that a lone surrogate (text stored before
    config.parsers refused it) is written as its \\u escape instead of breaking the page."""
    text = json.dumps(value, ensure_ascii=False, cls=encoder)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _json_display(field: models.JSONField):
    def display(obj):
        value = getattr(obj, field.attname)
        return "-" if value is None else json_text(value, field.encoder)

    display.short_description = field.verbose_name
    return display


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, never edit: state changes go through services, which write audit rows
    (and, for credentials, publish status lists). JSON fields are shown through ``json_text``."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _json_displays(self) -> dict:
        if not hasattr(self, "_json_display_cache"):
            self._json_display_cache = {
                field.name: _json_display(field)
                for field in self.model._meta.fields
                if isinstance(field, models.JSONField)
            }
        return self._json_display_cache

    def get_fields(self, request, obj=None):
        displays = self._json_displays()
        return [displays.get(name, name) for name in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self._json_displays().values()]
