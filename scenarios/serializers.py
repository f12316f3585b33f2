from rest_framework import serializers

from .models import ScenarioVersion


class ScenarioVersionListOutputSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="scenario.slug")

    class Meta:
        model = ScenarioVersion
        fields = ("slug", "version", "title", "engine_version", "published_at")


class ScenarioVersionDetailOutputSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="scenario.slug")
    content = serializers.SerializerMethodField()

    class Meta:
        model = ScenarioVersion
        fields = ("slug", "version", "title", "engine_version", "published_at", "content")

    def get_content(self, obj) -> dict:
        from .selectors import pack_for_version

        if self.context.get("full"):
            return obj.content
        return pack_for_version(obj).public_view()


class DesignValidationOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())
