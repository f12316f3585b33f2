from rest_framework import serializers

from .models import ScenarioVersion
from .selectors import pack_for_version


class ScenarioVersionListOutputSerializer(serializers.ModelSerializer):
    scenario_version_id = serializers.IntegerField(
        source="pk",
        read_only=True,
        help_text="This published version's id, as in an attempt's parts[].scenario_version_id.",
    )
    slug = serializers.CharField(source="scenario.slug")
    version = serializers.IntegerField(read_only=True, help_text="The pack's version number.")

    class Meta:
        model = ScenarioVersion
        fields = (
            "scenario_version_id",
            "slug",
            "version",
            "title",
            "engine_version",
            "published_at",
        )


class ScenarioVersionDetailOutputSerializer(serializers.ModelSerializer):
    """A version's content: the public view unless the context says ``full``."""

    scenario_version_id = serializers.IntegerField(source="pk", read_only=True)
    slug = serializers.CharField(source="scenario.slug")
    content = serializers.SerializerMethodField()
    full = serializers.SerializerMethodField()

    class Meta:
        model = ScenarioVersion
        fields = (
            "scenario_version_id",
            "slug",
            "version",
            "title",
            "engine_version",
            "content_sha256",
            "published_at",
            "full",
            "content",
        )

    def get_full(self, obj) -> bool:
        return bool(self.context.get("full"))

    def get_content(self, obj) -> dict:
        if self.context.get("full"):
            return obj.content
        return pack_for_version(obj).public_view()


class DesignProblemOutputSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="JSON path of the problem, e.g. $.steps[3].performer")
    message = serializers.CharField(help_text="What is wrong and what to do about it.")
    code = serializers.CharField(help_text="Stable machine code, e.g. unknown_role.")


class DesignValidOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = DesignProblemOutputSerializer(many=True)


class DesignInvalidOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = DesignProblemOutputSerializer(many=True)
