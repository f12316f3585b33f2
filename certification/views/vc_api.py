"""``POST /vc-api/credentials/verify``: the W3C CCG VC API verifier endpoint (request
``{"verifiableCredential": {...}, "options": {...}}``). Public, no CSRF (no session
authentication), rate-limited with the rest of verification.

A credential whose proofs verify answers 200 with ``verified: true``; one that does not answers
400 with the same body and ``verified: false`` (the VC API's 200 means "successfully verified",
and its test suites expect 400 for a credential that fails); a request that is not of that shape
is a 400 problem document (``code``, ``detail``)."""

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ..throttling import VerifyThrottle
from ..vc_api import verify_for_vc_api
from ..volume import Surface
from ..volume import record as record_volume
from .api import ProblemSerializer, _PublicVerification

_JSON_PARSER = next(
    parser
    for parser in api_settings.DEFAULT_PARSER_CLASSES
    if parser.media_type == "application/json"
)


class JsonLdParser(_JSON_PARSER):
    """The same parser (and limits) for bodies sent as JSON-LD."""

    media_type = "application/ld+json"


class VcApiVerifySerializer(serializers.Serializer):
    verifiableCredential = serializers.DictField(
        help_text="The credential, with its Data Integrity proof(s)."
    )
    options = serializers.DictField(
        required=False,
        default=dict,
        help_text="Verification options (accepted; this verifier has none to set).",
    )


class VcApiVerificationResultSerializer(serializers.Serializer):
    verified = serializers.BooleanField(
        help_text="Every proof is valid (and the credential is within its dates and not "
        "revoked or suspended, where that can be known)."
    )
    checks = serializers.ListField(child=serializers.CharField(), help_text="Checks made.")
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="What could not be established, or does not affect the proofs: an issuer "
        "this platform does not trust, a status list it cannot read, another signer.",
    )
    errors = serializers.ListField(child=serializers.CharField(), help_text="What failed.")


class VcApiThrottle(VerifyThrottle):
    """Counted per client address at the verification rate (scope ``verify``)."""

    prefix = "vc-api"


class VcApiVerifyCredentialView(_PublicVerification):
    parser_classes = [*api_settings.DEFAULT_PARSER_CLASSES, JsonLdParser]
    throttle_classes = [VcApiThrottle]

    @extend_schema(
        operation_id="vc_api_verify_credential",
        summary="Verify a credential's proofs (W3C VC API), for any issuer",
        tags=["vc-api"],
        request=VcApiVerifySerializer,
        responses={
            200: VcApiVerificationResultSerializer,
            400: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="VcApiVerifyRefusal",
                    serializers=[VcApiVerificationResultSerializer, ProblemSerializer],
                    resource_type_field_name=None,
                ),
                description="Not verified (the result, with verified false and its errors), "
                "or a request that is not a VC API verify request (problem details).",
            ),
            413: ProblemSerializer,
            429: ProblemSerializer,
        },
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError(
                'Send {"verifiableCredential": {...}, "options": {...}}.', code="invalid_request"
            )
        data = VcApiVerifySerializer(data=request.data)
        if not data.is_valid():
            field, problems = next(iter(data.errors.items()))
            raise exceptions.ValidationError(f"{field}: {problems[0]}", code="invalid_request")
        result = verify_for_vc_api(data.validated_data["verifiableCredential"])
        record_volume(Surface.VC_API)
        return Response(result, status=200 if result["verified"] else 400)
