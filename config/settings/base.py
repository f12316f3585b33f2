"""Settings shared by every environment, read from the environment (see .env.example).

Fail-safe: DEBUG is off unless the environment turns it on, and importing these settings writes
nothing (the development settings create var/ and a development key; production never does).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PRACTICA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", default="")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "audit",
    "scenarios",
    "assessments",
    "certification",
    "candidates",
    "partners",
    "quality",
    "employers",
    "demo",
]

MIDDLEWARE = [
    # Outermost: every error under /api/ and /vc-api/ leaves as JSON (config/json_errors.py).
    "config.json_errors.JsonErrorsMiddleware",
    # Refuse oversized bodies from Content-Length before anything reads them.
    "config.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the response accounts.lockout builds.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",  # {{ csp_nonce }}
            ],
        },
    },
]

# Database: DATABASE_URL, else an SQLite file under var/ (the embedded default).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'practica.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", default=True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers: wait for the lock rather than fail under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/signin/"

# Axes' backend first: a locked account is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the site's own CSS and scripts (templates/base.html)

# Content-Security-Policy, enforced on every page: scripts and styles only from this site's
# static files, or inline with the request's nonce ({{ csp_nonce }}); never 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Request size limits for everything the public can reach.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Redis: broker for Celery and the shared cache. Without it, tasks run in-process.
REDIS_URL = env_str("REDIS_URL", default="")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", default=REDIS_URL)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "practica",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------
# Queue names carry a prefix so that several test runs can share one Redis without stealing
# each other's messages; production leaves it empty.
CELERY_QUEUE_PREFIX = env_str("CELERY_QUEUE_PREFIX", default="")
CELERY_GRADING_QUEUE = f"{CELERY_QUEUE_PREFIX}grading"
CELERY_DEFAULT_QUEUE = f"{CELERY_QUEUE_PREFIX}default"
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = CELERY_DEFAULT_QUEUE
CELERY_TASK_ROUTES = {
    "assessments.tasks.grade_*": {"queue": CELERY_GRADING_QUEUE},
}
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Keep a worker's database connection across tasks instead of reconnecting around each one
# (about 8 ms a grading job); tasks that hit a broken connection replace it themselves.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is only acknowledged once finished (per-task acks_late); an unacked message returns
# to the queue this long after a worker vanished.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 5,
}
# Periodic work, declared in one place: re-send lost grading jobs, expire attempts at their
# deadline, escalate overdue human scoring.
# Grading pipeline timeouts (see assessments/conf.py for what each means).
GRADING_REQUEUE_AFTER_SECONDS = env_int("GRADING_REQUEUE_AFTER_SECONDS", 120)
GRADING_STALE_AFTER_SECONDS = env_int("GRADING_STALE_AFTER_SECONDS", 600)
HUMAN_SCORING_LEASE_MINUTES = env_int("HUMAN_SCORING_LEASE_MINUTES", 30)
HUMAN_SCORING_DUE_HOURS = env_int("HUMAN_SCORING_DUE_HOURS", 72)
# Double marking (assessments/services/double_marking.py): the share of human items two graders
# score blind (in percent), and whether every item of a borderline decision is double marked.
HUMAN_SCORING_DOUBLE_MARK_SHARE = env_int("HUMAN_SCORING_DOUBLE_MARK_PERCENT", 20) / 100
HUMAN_SCORING_DOUBLE_MARK_BORDERLINE = env_bool(
    "HUMAN_SCORING_DOUBLE_MARK_BORDERLINE", default=True
)
# Agreement statistics (quality/agreement.py): graders whose quadratic weighted kappa against
# their second markers is below this are flagged.
QUALITY_KAPPA_THRESHOLD = float(env_str("QUALITY_KAPPA_THRESHOLD", default="0.7"))
GRADING_ESCALATE_AFTER_SECONDS = env_int("GRADING_ESCALATE_AFTER_SECONDS", 900)
GRADING_MAX_RUNS = env_int("GRADING_MAX_RUNS", 5)
DECISION_GRACE_SECONDS = env_int("DECISION_GRACE_SECONDS", 60)
ATTEMPT_SUBMIT_GRACE_SECONDS = env_int("ATTEMPT_SUBMIT_GRACE_SECONDS", 30)
# Autosaves kept per scenario of an attempt (the newest; the submitted design is kept apart).
DRAFTS_KEPT_PER_PART = env_int("DRAFTS_KEPT_PER_PART", 20)

CELERY_BEAT_SCHEDULE = {
    "assessments-sweep": {"task": "assessments.tasks.sweep", "schedule": 30.0},
    "credentials-sweep": {"task": "certification.tasks.sweep", "schedule": 60.0},
    # By-ID verification counts, buffered in Redis, into the volume table (docs/employers.md).
    "verification-volume": {
        "task": "certification.tasks.flush_verification_volume",
        "schedule": 60.0,
    },
    # Partner dashboards are precomputed (partners/snapshots.py); this keeps them fresh.
    "partner-dashboards": {
        "task": "partners.tasks.refresh_dashboards",
        "schedule": float(env_int("PARTNERS_DASHBOARD_REFRESH", 300)),
    },
    # Agreement statistics of double marking (quality/agreement.py), also computable on demand.
    "quality-agreement": {
        "task": "quality.tasks.compute_agreement",
        "schedule": float(env_int("QUALITY_AGREEMENT_REFRESH", 3600)),
    },
    # Item statistics (quality/item_stats_services.py): catch up lost counts, publish changes.
    "quality-item-statistics": {
        "task": "quality.tasks.item_statistics_sweep",
        "schedule": float(env_int("QUALITY_ITEM_STATS_SWEEP", 60)),
    },
}
# Seconds a snapshot's republication waits after the first count asking for it (debounce).
QUALITY_ITEM_STATS_PUBLISH_DELAY = env_int("QUALITY_ITEM_STATS_PUBLISH_DELAY", 10)

# --- REST framework -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: DRF answers "not authenticated" with the first class's challenge, so a
        # missing, wrong or expired token is a 401 with WWW-Authenticate: Token (not a 403).
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The API speaks JSON only, through one parser (config/parsers.py: depth, NUL, lone
    # surrogates); a form field would carry JSON text past it into a serializer's JSONField.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "config.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonRateThrottle",
        "config.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", default="120/minute"),
        "user": env_str("THROTTLE_USER", default="1200/minute"),
        "login": env_str("THROTTLE_LOGIN", default="10/minute"),
        "verify": env_str("THROTTLE_VERIFY", default="60/minute"),
        # Bulk verification counts items, not requests (certification/throttling.py).
        "verify_bulk": env_str("THROTTLE_VERIFY_BULK", default="20000/hour"),
        # Items per employer API key (or signed-in employer), employers/throttling.py.
        "employer_verify_bulk": env_str("THROTTLE_EMPLOYER_VERIFY_BULK", default="200000/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # For any DRF throttle left on DRF's own get_ident: the same rule as client_ip.
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0),
}
# API tokens expire (hours; knox stores only their digests) and die with a password change.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24)),
    "AUTO_REFRESH": False,
}

# --- Hostile input -------------------------------------------------------------------------
# Bodies over these sizes are refused from Content-Length before they are read
# (config/middleware.py); the longest matching path prefix wins. Verification takes one
# credential (64 KB) and the multipart or VC API wrapping around it.
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE)
VERIFY_MAX_BODY_BYTES = env_int("VERIFY_MAX_BODY_BYTES", 72 * 1024)
REQUEST_BODY_LIMITS = {
    "/verify/": VERIFY_MAX_BODY_BYTES,
    "/vc-api/": VERIFY_MAX_BODY_BYTES,
    "/api/v1/credentials/verify": VERIFY_MAX_BODY_BYTES,
    "/api/v1/credentials/verify/bulk": env_int("BULK_VERIFY_MAX_BODY_BYTES", 2 * 1024 * 1024),
    "/verify/bulk/": env_int("BULK_VERIFY_MAX_BODY_BYTES", 2 * 1024 * 1024),
}
# Webhooks (certification/webhooks): each delivery is tried up to WEBHOOK_MAX_ATTEMPTS times,
# waiting WEBHOOK_BACKOFF_SECONDS, doubling (capped at an hour); an endpoint whose
# WEBHOOK_DISABLE_AFTER deliveries in a row all failed is disabled and its owner emailed.
# Endpoints must be https:// on a public address unless the two ALLOW switches say otherwise.
# Each endpoint's signing secret is derived from this key and a random per-endpoint salt, never
# stored (certification/webhooks/services.py: endpoint_secret). Empty: SECRET_KEY is used.
WEBHOOK_SECRET_KEY = env_str("WEBHOOK_SECRET_KEY", default="")
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_BACKOFF_SECONDS = env_int("WEBHOOK_BACKOFF_SECONDS", 30)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 5)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# A credential is announced as expiring_soon this many days before its validUntil.
WEBHOOK_EXPIRING_DAYS = env_int("WEBHOOK_EXPIRING_DAYS", 30)
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", default=DEBUG)
# Bulk verification: most credentials (IDs, URLs or documents) in one request.
BULK_VERIFY_MAX_ITEMS = env_int("BULK_VERIFY_MAX_ITEMS", 10_000)
# ...and without an employer account (API key or signed-in employer): docs/employers.md.
BULK_VERIFY_ANONYMOUS_MAX_ITEMS = env_int("BULK_VERIFY_ANONYMOUS_MAX_ITEMS", 100)
# JSON nested deeper than this is refused before it is parsed (config/parsers.py).
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32)

# --- Accounts: client addresses and login lockout ----------------------------------------
# How many reverse proxies in front of the web processes append to X-Forwarded-For. 0 (the
# default): the header is ignored and the socket's address is the client's. Every rate limit
# and the lockout read the address through config.throttling.client_ip (docs/accounts.md).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Lockout: after LOGIN_FAILURE_LIMIT failures an account is locked LOGIN_LOCKOUT_MINUTES after
# the last one; each failure after a lockout doubles the next, up to LOGIN_FAILURE_MEMORY_HOURS,
# which is also how long failures are remembered (accounts/lockout.py).
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=env_int("LOGIN_FAILURE_MEMORY_HOURS", 24))
LOGIN_LOCKOUT_BASE = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_HANDLER = "accounts.lockout.BackoffDatabaseHandler"
# By account; or by account and address together (LOGIN_LOCKOUT_PER_ADDRESS=true): then a
# guesser elsewhere cannot lock the owner out, but every address gets its own tries.
AXES_LOCKOUT_PARAMETERS = (
    [["username", "ip_address"]] if env_bool("LOGIN_LOCKOUT_PER_ADDRESS") else ["username"]
)
# axes.W006 wants the address in the lockout; per-address limits are the login throttle's.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "config.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login kept forever; failures expire

SPECTACULAR_SETTINGS = {
    "TITLE": "Practica API",
    "DESCRIPTION": "Certification of AI-deployment consultants: scenarios, exams, grading, "
    "credentials. Errors are JSON with a stable `code` and a human `detail`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AttemptStatusEnum": "assessments.models.exams.Attempt.Status",
        "HumanScoreStatusEnum": "assessments.models.grading.HumanScore.Status",
    },
}

# --- Credentials --------------------------------------------------------------------------
CREDENTIAL_ISSUER_METHOD = env_str("CREDENTIAL_ISSUER_METHOD", default="did:key")
CREDENTIAL_DID_WEB_DOMAIN = env_str("CREDENTIAL_DID_WEB_DOMAIN", default="")
CREDENTIAL_KEYS_DIR = Path(env_str("CREDENTIAL_KEYS_DIR", default=str(VAR_DIR / "keys")))
CREDENTIAL_SIGNING_KEY = env_str("CREDENTIAL_SIGNING_KEY", default="")
# Create a signing key on first use when none exists (development, tests, demos).
CREDENTIAL_AUTO_CREATE_KEY = env_bool("CREDENTIAL_AUTO_CREATE_KEY", default=True)
# Issuers (DIDs) other than this platform's own whose credentials verification calls "Valid".
TRUSTED_ISSUERS = env_list("TRUSTED_ISSUERS")

# --- Grading quality: appeals ---------------------------------------------------------------
# A candidate may appeal a decision that did not certify them for this many days after it.
QUALITY_APPEAL_WINDOW_DAYS = env_int("QUALITY_APPEAL_WINDOW_DAYS", 30)
# Calibration (docs/quality/calibration.md): live items reach a grader once their latest
# SET_SIZE calibration scores are all within TOLERANCE_PERCENT of the criterion's maximum
# points of the agreed ones; after every EVERY live scores they are asked for another.
QUALITY_CALIBRATION_SET_SIZE = env_int("QUALITY_CALIBRATION_SET_SIZE", 3)
QUALITY_CALIBRATION_TOLERANCE_PERCENT = env_int("QUALITY_CALIBRATION_TOLERANCE_PERCENT", 25)
QUALITY_CALIBRATION_EVERY = env_int("QUALITY_CALIBRATION_EVERY", 25)
# Standard setting (docs/quality/standard-setting.md): a modified-Angoff study is adopted only
# with at least MIN_RATERS raters in its final round; a checkpoint whose ratings' SD is above
# SD_FLAG points is flagged for discussion.
QUALITY_ANGOFF_MIN_RATERS = env_int("QUALITY_ANGOFF_MIN_RATERS", 3)
QUALITY_ANGOFF_SD_FLAG = float(env_str("QUALITY_ANGOFF_SD_FLAG", default="15"))
# Similarity detection (docs/quality/similarity.md, where the calibration table shows why these):
# a pair of designs is flagged for a person when its structural similarity or its rationales'
# text similarity reaches the threshold.
QUALITY_SIMILARITY_THRESHOLD = float(env_str("QUALITY_SIMILARITY_THRESHOLD", default="0.5"))
QUALITY_SIMILARITY_TEXT_THRESHOLD = float(
    env_str("QUALITY_SIMILARITY_TEXT_THRESHOLD", default="0.4")
)

# --- Partners ------------------------------------------------------------------------------
# Invitation emails: printed to the console unless EMAIL_BACKEND names a real one (SMTP etc.).
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
        )
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Practica <no-reply@practica.test>")
PARTNERS_INVITATION_DAYS = env_int("PARTNERS_INVITATION_DAYS", 14)
# A domain score (percent) at or above this shows proficiency on the partner dashboard.
PARTNERS_PROFICIENCY_THRESHOLD = env_int("PARTNERS_PROFICIENCY_THRESHOLD", 70)
# Dashboards are served from snapshots younger than this (seconds), refreshed every
# PARTNERS_DASHBOARD_REFRESH seconds by the beat task (partners/snapshots.py).
PARTNERS_DASHBOARD_MAX_AGE = env_int("PARTNERS_DASHBOARD_MAX_AGE", 900)
PARTNERS_DASHBOARD_REFRESH = env_int("PARTNERS_DASHBOARD_REFRESH", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
