"""Bulk verification without an account: ``POST /api/v1/credentials/verify/bulk`` (JSON) and
the page at /verify/bulk/ (a CSV of IDs or URLs in; a results table or a results CSV out), at
most ``BULK_VERIFY_ANONYMOUS_MAX_ITEMS`` (100) a request; the rate limit counts the items
(``verify_bulk``). Employers verify up to ``BULK_VERIFY_MAX_ITEMS`` with an API key
(the employers app)."""

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from config import parsers
from config.errors import DomainError, InvalidRequest

from .. import bulk
from ..throttling import BulkVerifyThrottle
from ..volume import Surface
from ..volume import record as record_volume
from .api import ProblemSerializer, VerificationResultSerializer, _PublicVerification

BULK_STATUSES = [
    *VerificationResultSerializer().fields["status"].choices,
    "invalid_id",
    "not_found",
]


class BulkVerifyInputSerializer(serializers.Serializer):
    credentials = serializers.ListField(
        child=serializers.JSONField(),
        allow_empty=False,
        help_text="Credential IDs, credential URLs (strings) or credential documents (objects), "
        "at most BULK_VERIFY_ANONYMOUS_MAX_ITEMS (100 by default) without an account.",
    )


class BulkVerificationItemSerializer(VerificationResultSerializer):
    input = serializers.CharField(
        allow_null=True, help_text="The ID or URL sent (null: a document)"
    )
    status = serializers.ChoiceField(choices=BULK_STATUSES)
    detail = serializers.CharField(help_text="Why, for invalid_id and not_found")


class BulkVerificationOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    verified = serializers.IntegerField(help_text="How many are valid")
    results = BulkVerificationItemSerializer(many=True)


class BulkVerifyView(_PublicVerification):
    """Verify many credentials at once: each result is what single verification would say
    (same statuses and checks), plus ``invalid_id`` and ``not_found``, in the order sent."""

    parser_classes = [parsers.JSONParser]
    throttle_classes: list = []

    @extend_schema(
        operation_id="credential_verify_bulk",
        request=BulkVerifyInputSerializer,
        responses={
            200: BulkVerificationOutputSerializer,
            400: ProblemSerializer,
            413: ProblemSerializer,
            429: ProblemSerializer,
        },
    )
    def post(self, request):
        data = BulkVerifyInputSerializer(data=request.data)
        if not data.is_valid():
            raise exceptions.ValidationError(
                'Send {"credentials": [...]}: a non-empty list of credential IDs, URLs or '
                "documents.",
                code="invalid_items",
            )
        items = data.validated_data["credentials"]
        bulk.check_count(items, limit=bulk.anonymous_max_items())  # before anything is counted
        throttle = BulkVerifyThrottle()
        if not throttle.allow_items(request, len(items)):
            self.throttled(request, throttle.wait())
        results = bulk.verify_many(items, limit=bulk.anonymous_max_items())
        record_volume(Surface.BULK, count=len(results))
        return Response(
            {
                "count": len(results),
                "verified": sum(r["verified"] for r in results),
                "results": results,
            }
        )


def _csv_download(results) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        bulk.results_csv(results), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="verification-results.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def bulk_verify_page(request):
    """Upload a CSV of credential IDs or URLs; see each one's status and why, or download the
    same as CSV (the "Download CSV" button sends the file again: nothing is kept)."""
    context: dict = {"max_items": bulk.anonymous_max_items()}
    if request.method == "POST":
        upload = request.FILES.get("ids")
        try:
            if upload is None:
                raise InvalidRequest("Choose a CSV file of credential IDs or URLs.", code="no_file")
            references = bulk.references_from_csv(upload.read())
            bulk.check_count(references, limit=bulk.anonymous_max_items())
            throttle = BulkVerifyThrottle()
            if references and not throttle.allow_items(request, len(references)):
                response = HttpResponse(
                    "Too many credentials verified from your address; try again later.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(int(throttle.wait()) + 1)
                return response
            results = bulk.verify_many(references, limit=bulk.anonymous_max_items())
            record_volume(Surface.BULK, count=len(results))
        except DomainError as error:
            context["error"] = error.message
            return render(request, "certification/verify_bulk.html", context, status=400)
        if request.POST.get("format") == "csv":
            return _csv_download(results)
        context["results"] = [{**r, "why": bulk.why(r)} for r in results]
        context["verified"] = sum(r["verified"] for r in results)
    return render(request, "certification/verify_bulk.html", context)
