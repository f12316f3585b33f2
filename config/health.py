"""Probes for orchestrators: /healthz says the process is up, /readyz that it can serve.

Both are public, so they answer with a status only. Why a probe failed (an exception naming
the database host, port and role, or the broker's address) goes to the log, never the response.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means not ready; log it, do not raise
        return f"{type(exc).__name__}: {exc}"
    return None


def _broker_problem() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None  # tasks run in-process
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


PROBES = (("database", _database_problem), ("broker", _broker_problem))


@require_GET
@never_cache
def readyz(request):
    """200 ``{"status": "ready"}`` or 503 ``{"status": "not_ready"}``; the reasons are logged."""
    ready = True
    for name, probe in PROBES:
        problem = probe()
        if problem is not None:
            ready = False
            logger.warning("readyz: %s not ready: %s", name, problem)
    return JsonResponse({"status": "ready" if ready else "not_ready"}, status=200 if ready else 503)
