"""The Celery application. Configuration comes from Django settings (CELERY_* names).

Only JSON crosses the broker. Grading work goes to its own queue (CELERY_GRADING_QUEUE) so a
burst of submissions never waits behind e-mail or credential work, and the reverse.

A worker started without DJANGO_SETTINGS_MODULE gets the production settings (fail-safe: they
refuse to start half-configured); ``make run`` and the test tier name their own module.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("practica")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["config"])
