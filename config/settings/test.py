"""Test settings: fast and isolated. The integration tier sets DATABASE_URL and REDIS_URL."""

import os
import secrets

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY

DEBUG = False
# A throwaway key per process (nothing signed outlives a run); tests write nothing under var/.
SECRET_KEY = SECRET_KEY or secrets.token_urlsafe(50)
STATIC_ROOT = None
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Unique per run, so that two test runs on one PostgreSQL server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_practica_{os.getpid()}"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# Queues unique to this run (the worker started by the integration tier inherits the prefix).
CELERY_QUEUE_PREFIX = os.environ.get("CELERY_QUEUE_PREFIX") or f"test{os.getpid()}."
CELERY_GRADING_QUEUE = f"{CELERY_QUEUE_PREFIX}grading"
CELERY_DEFAULT_QUEUE = f"{CELERY_QUEUE_PREFIX}default"
CELERY_TASK_DEFAULT_QUEUE = CELERY_DEFAULT_QUEUE
CELERY_TASK_ROUTES = {"assessments.tasks.grade_*": {"queue": CELERY_GRADING_QUEUE}}

# Integration tier only: lets a reliability test slow grading down enough to kill a worker
# mid-job. Read by the worker process from its environment; 0 everywhere else.
GRADING_TEST_DELAY_SECONDS = float(os.environ.get("GRADING_TEST_DELAY_SECONDS", "0"))

# Double marking off, so that tests of other features score each item once; the double-marking
# tests (tests/assessments/test_double_marking.py) turn it on with the `settings` fixture.
HUMAN_SCORING_DOUBLE_MARK_SHARE = 0.0
HUMAN_SCORING_DOUBLE_MARK_BORDERLINE = False
