"""Refuse request bodies over the limit from their ``Content-Length``, before anything reads
them (the CSRF check reads a form, the parsers read JSON, uploads spool to disk)."""

import json

from django.conf import settings
from django.http import HttpResponse

PROBLEM = "application/problem+json"


def body_limit(path: str) -> int:
    """The most bytes a request to ``path`` may send: the longest matching prefix in
    ``REQUEST_BODY_LIMITS``, else ``REQUEST_MAX_BODY_BYTES``."""
    limits = getattr(settings, "REQUEST_BODY_LIMITS", {})
    matches = [prefix for prefix in limits if path.startswith(prefix)]
    if matches:
        return limits[max(matches, key=len)]
    return settings.REQUEST_MAX_BODY_BYTES


def _problem(status: int, *, code: str, title: str, detail: str) -> HttpResponse:
    """RFC 9457 problem details that also carry the API's ``{code, detail}``."""
    body = {
        "type": f"{settings.PUBLIC_BASE_URL}/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)


class RequestSizeLimitMiddleware:
    """Ahead of everything that reads a body: one larger than its path allows is answered 413
    without a byte of it read; a ``Content-Length`` that is not a number is answered 400.

    Under WSGI (gunicorn, runserver) Django reads no more than ``Content-Length`` bytes, and
    nothing of a body sent without one, so the declared length is the whole story."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not (declared.isascii() and declared.isdigit()):
            return _problem(
                400,
                code="invalid_content_length",
                title="Invalid Content-Length",
                detail="Content-Length must be a number of bytes.",
            )
        limit = body_limit(request.path_info)
        if int(declared) > limit:
            return _problem(
                413,
                code="request_too_large",
                title="Request too large",
                detail=f"The request body is {declared} bytes; this endpoint accepts at most {limit}.",
            )
        return self.get_response(request)
