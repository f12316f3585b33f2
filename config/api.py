"""API conventions shared by every app: error bodies, pagination, base errors.

Every error leaves the API as JSON ``{"code": <stable machine code>, "detail": <human text>}``,
plus ``errors`` (field → messages, or a list of ``{path, message, code}``) where there is more
to say. Clients branch on ``code``; ``detail`` may be reworded.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ServiceError(exceptions.APIException):
    """A business rule refused the request. Raise with a stable code and a message to act on."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_request"
    default_detail = "The request could not be processed."

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status_code: int | None = None,
        errors: Any = None,
    ):
        super().__init__(detail=detail, code=code)
        if status_code is not None:
            self.status_code = status_code
        self.errors = errors


class Conflict(ServiceError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = ServiceError(
            "The request body is larger than this endpoint accepts.",
            code="request_too_large",
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response

    body: dict[str, Any]
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "detail": "The request has invalid fields; see errors.",
            "errors": exc.detail,
        }
    elif isinstance(exc.detail, str):
        body = {"code": _code_of(exc), "detail": str(exc.detail)}
    else:
        body = {"code": exc.default_code, "detail": str(exc.default_detail), "errors": exc.detail}
    if isinstance(exc, ServiceError) and exc.errors is not None:
        body["errors"] = exc.errors
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after_seconds"] = int(exc.wait)
    response.data = body
    return response
