"""The WSGI entry point for application servers (gunicorn config.wsgi).

A server started without DJANGO_SETTINGS_MODULE gets the production settings, which refuse to
start without a secret key, PostgreSQL and Redis, rather than development settings with SQLite.
``manage.py runserver`` sets its own module before this runs.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
