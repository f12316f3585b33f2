"""Production: PostgreSQL and Redis required, secrets from the environment, HTTPS only."""

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("Production needs DATABASE_URL pointing at PostgreSQL.")
if not REDIS_URL:
    raise RuntimeError("Production needs REDIS_URL (Celery broker and shared cache).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Email (partner invitations) through a real backend: SMTP unless EMAIL_BACKEND names another
# (configure it with the EMAIL_HOST* settings or MAILERS OPTIONS).
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
    }
}
# A missing signing key must fail loudly, never be generated silently on a web node.
CREDENTIAL_AUTO_CREATE_KEY = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
