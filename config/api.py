"""API conventions shared by every app: error bodies, pagination, and the one exception handler.

Every error leaves the API as JSON ``{"code": <stable machine code>, "detail": <human text>}``,
plus ``errors`` (field → messages, or a list of ``{path, message, code}``) where there is more
to say. Clients branch on ``code``; ``detail`` may be reworded.

Services raise plain domain errors (``config.errors``); this handler is the one place that says
what each means over HTTP (``DOMAIN_STATUS``).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config import errors
from config.errors import DomainError

# What each kind of domain error is over HTTP. A subclass takes its nearest listed ancestor's.
DOMAIN_STATUS: dict[type[DomainError], int] = {
    DomainError: status.HTTP_400_BAD_REQUEST,
    errors.InvalidRequest: status.HTTP_400_BAD_REQUEST,
    errors.Unauthorized: status.HTTP_401_UNAUTHORIZED,
    errors.Forbidden: status.HTTP_403_FORBIDDEN,
    errors.NotFound: status.HTTP_404_NOT_FOUND,
    errors.Conflict: status.HTTP_409_CONFLICT,
    errors.TooLarge: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class DomainErrorResponse(exceptions.APIException):
    """A domain error as DRF carries it to the response: its status, code, message, errors."""

    def __init__(self, error: DomainError):
        super().__init__(detail=error.message, code=error.code)
        self.status_code = next(
            DOMAIN_STATUS[cls] for cls in type(error).__mro__ if cls in DOMAIN_STATUS
        )
        self.errors = error.errors


def as_api_exception(exc: Exception) -> Exception:
    """A domain error becomes the API exception that says it over HTTP; anything else is
    returned as it is."""
    return DomainErrorResponse(exc) if isinstance(exc, DomainError) else exc


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = as_api_exception(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = DomainErrorResponse(
            errors.TooLarge("The request body is larger than this endpoint accepts.")
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
    if isinstance(exc, DomainErrorResponse) and exc.errors is not None:
        body["errors"] = exc.errors
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after_seconds"] = int(exc.wait)
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        view, request = context.get("view"), context.get("request")
        header = view.get_authenticate_header(request) if view and request else None
        if header:
            response["WWW-Authenticate"] = header
    response.data = body
    return response
