"""Every error under the API prefixes leaves as JSON, with DEBUG on or off.

The DRF views already answer their own errors as ``{code, detail}`` (``config/api.py``), but
some errors happen before or around a view: a URL that matches no route (with DEBUG on Django
answers those with its HTML technical page, not ``handler404``), a POST to a URL missing its
trailing slash (CommonMiddleware's redirect cannot keep a body), an exception that escapes a
view (the HTML debug page), a refused Host header or CSRF check. This middleware sits first,
so it sees every response, and answers for those prefixes in JSON:

- a URL that resolves to nothing is a 404 ``not_found`` whose detail names the same URL with
  (or without) a trailing slash when that one exists (a GET or HEAD missing its slash still
  gets CommonMiddleware's redirect);
- any other error response that is not JSON becomes ``{code, detail}`` for its status.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, get_resolver, get_urlconf

API_PREFIXES = ("/api/", "/vc-api/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Authentication credentials were not provided."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("request_too_large", "The request body is larger than this endpoint accepts."),
    429: ("throttled", "Too many requests; try again later."),
    500: ("server_error", "Something went wrong on our side."),
}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def error_body(status: int, detail: str | None = None) -> dict:
    code, default = _CODES.get(status, ("server_error" if status >= 500 else "bad_request", ""))
    return {"code": code, "detail": detail or default}


def _resolves(path: str) -> bool:
    try:
        get_resolver(get_urlconf()).resolve(path)
    except Resolver404:
        return False
    return True


def not_found_detail(path: str) -> str:
    """'Not found.', plus the URL to use when only the trailing slash is wrong."""
    other = path[:-1] if path.endswith("/") else path + "/"
    if other != "/" and _resolves(other):
        return f"No endpoint at {path}; did you mean {other}?"
    return f"No endpoint at {path}. The endpoints are listed at /api/v1/docs/."


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not is_api_path(path):
            return self.get_response(request)
        # Only a write to a URL without its trailing slash is resolved up front: CommonMiddleware
        # would redirect it (losing the body), or raise with DEBUG on. Everything else, the hot
        # GETs included, is resolved only once it has turned out to be an error.
        if request.method not in SAFE_METHODS and not path.endswith("/") and not _resolves(path):
            return JsonResponse(error_body(404, not_found_detail(path)), status=404)
        response = self.get_response(request)
        if response.status_code < 400 or _is_json(response):
            return response
        status = response.status_code
        if status != 404 and not _resolves(path):
            status = 404  # e.g. Django's technical page for a URL that matches nothing
        detail = not_found_detail(path) if status == 404 else None
        replacement = JsonResponse(error_body(status, detail), status=status)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement


def _is_json(response: HttpResponse) -> bool:
    return "json" in response.get("Content-Type", "")
