from django.http import JsonResponse
from django.shortcuts import render

from .json_errors import error_body, is_api_path, not_found_detail


def home(request):
    return render(request, "home.html")


def _wants_json(request) -> bool:
    return is_api_path(request.path) or "json" in request.headers.get("Accept", "")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body(404, not_found_detail(request.path)), status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _wants_json(request):
        return JsonResponse(error_body(500), status=500)
    return render(request, "500.html", status=500)
