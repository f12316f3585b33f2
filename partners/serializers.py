"""Output and input shapes of the partner API (counts and membership facts only: never
design content, checkpoint scores or domain scores)."""

from rest_framework import serializers


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class CertificationCountSerializer(CountSerializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class DomainCountSerializer(CountSerializer):
    id = serializers.CharField()
    name = serializers.CharField()


class RegionCountSerializer(CountSerializer):
    region = serializers.CharField()


class MonthCountSerializer(CountSerializer):
    month = serializers.CharField()


class HeadcountSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_certification = CertificationCountSerializer(many=True)
    by_domain = DomainCountSerializer(many=True)
    by_region = RegionCountSerializer(many=True)


class PipelineSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    expiring = serializers.IntegerField()
    lapsed = serializers.IntegerField()


class CoverageDomainSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    proficient = serializers.IntegerField()


class DependencySerializer(serializers.Serializer):
    domain = serializers.CharField()
    name = serializers.CharField()
    person = serializers.CharField()


class AlertSerializer(serializers.Serializer):
    domain = serializers.CharField()
    kind = serializers.ChoiceField(choices=["departure", "expiry"])
    message = serializers.CharField()


class CoverageSerializer(serializers.Serializer):
    domains = CoverageDomainSerializer(many=True)
    dependencies = DependencySerializer(many=True)
    alerts = AlertSerializer(many=True)


class TargetSerializer(serializers.Serializer):
    tier = serializers.CharField()
    certification = serializers.CharField()
    domain = serializers.CharField()
    target = serializers.IntegerField()
    current = serializers.IntegerField()
    percent = serializers.IntegerField()
    met = serializers.BooleanField()


class FirmSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()


class DashboardOutputSerializer(serializers.Serializer):
    firm = FirmSerializer()
    as_of = serializers.DateTimeField()
    proficiency_threshold = serializers.FloatField()
    headcount = HeadcountSerializer()
    trend = MonthCountSerializer(many=True)
    pipeline = PipelineSerializer()
    coverage = CoverageSerializer()
    targets = TargetSerializer(many=True)


class RosterMemberOutputSerializer(serializers.Serializer):
    membership_id = serializers.IntegerField(source="pk")
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    region = serializers.CharField(source="user.region")
    joined_at = serializers.DateTimeField()
    left_at = serializers.DateTimeField(allow_null=True)


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()


class InvitationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
