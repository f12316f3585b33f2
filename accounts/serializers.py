from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .hooks import holder_credentials
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


class HeldCredentialOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField(help_text="The credential's public page (and its JSON).")
    status = serializers.CharField()
    certification = serializers.CharField()
    name = serializers.CharField()
    decision = serializers.UUIDField()
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()


class MeDetailOutputSerializer(MeOutputSerializer):
    """``GET /me/``: the account, and the credentials it holds (filled by the credential
    app through ``accounts.hooks``)."""

    credentials = serializers.SerializerMethodField()

    class Meta(MeOutputSerializer.Meta):
        fields = (*MeOutputSerializer.Meta.fields, "credentials")

    @extend_schema_field(HeldCredentialOutputSerializer(many=True))
    def get_credentials(self, user) -> list[dict]:
        return HeldCredentialOutputSerializer(holder_credentials(user), many=True).data


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
