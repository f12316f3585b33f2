"""Probes for orchestrators: /healthz says the process is up, /readyz that it can serve."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means not ready; report it, do not raise
        return False, f"{type(exc).__name__}: {exc}"
    return True, "ok"


def _broker_ok() -> tuple[bool, str]:
    if not settings.CELERY_BROKER_URL:
        return True, "not configured (tasks run in-process)"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
    return True, "ok"


@require_GET
@never_cache
def readyz(request):
    checks = {}
    ready = True
    for name, probe in (("database", _database_ok), ("broker", _broker_ok)):
        ok, detail = probe()
        checks[name] = {"ok": ok, "detail": detail}
        ready = ready and ok
    return JsonResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status=200 if ready else 503,
    )
