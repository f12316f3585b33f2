from rest_framework import serializers

from .models import Membership, PartnerOrganisation, User


class MembershipOutputSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ("organisation", "kind", "joined_at", "left_at")


class MeOutputSerializer(serializers.ModelSerializer):
    memberships = MembershipOutputSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "role", "region", "memberships")


class LoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)
    user = MeOutputSerializer()


class LogoutAllOutputSerializer(serializers.Serializer):
    tokens_revoked = serializers.IntegerField()


class PartnerOrganisationOutputSerializer(serializers.ModelSerializer):
    active_consultants = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartnerOrganisation
        fields = ("slug", "name", "region", "active_consultants")
