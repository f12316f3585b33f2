from django.http import JsonResponse
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"code": "not_found", "detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _wants_json(request):
        return JsonResponse(
            {"code": "server_error", "detail": "Something went wrong on our side."}, status=500
        )
    return render(request, "500.html", status=500)
