"""runcms settings: every deploy-specific value comes from the environment.

There is no dev/prod split of modules: the environment is the split. `.env.example`
lists every variable with a safe local value; the README explains each one.
"""

from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DEBUG", default=False)
# The "django-insecure-" prefix makes `check --deploy` flag it if it ever ships.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as it requires
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI from our own static files, as the CSP requires
    "corsheaders",
    "reversion",
    "csp",
    "axes",
    "django_celery_results",
    "runcms",
    "runcms.webhooks",
    "drills",
    "drills.media",
    "articles",
]

MIDDLEWARE = [
    # The security headers go on every response, /healthz and static files included: these
    # only add headers (SECURE_REDIRECT_EXEMPT spares /healthz the HTTPS redirect).
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the Host check: load balancers call it by the instance's IP, over plain HTTP.
    "runcms.health.HealthCheckMiddleware",
    # Which database this request reads from, when there is a read replica (runcms.replicas).
    "runcms.replicas.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "runcms.nul_guard.RejectNulCharactersMiddleware",
    "runcms.languages.PathLanguageMiddleware",  # /de/… pages in German; before URLs are resolved
    # Kept API answers go out here, without the session, CSRF, auth and lockout work below.
    "runcms.api.middleware.CachedAnswerMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A draft change's preview link: the request reads the draft, then every change is rolled back.
    "runcms.draft_preview.DraftPreviewMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "runcms.urls"
WSGI_APPLICATION = "runcms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "runcms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE: <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica of DATABASE_URL: public reads go there, writes and what must be current
# (the admin, the sync, a request after it wrote) stay on the primary (runcms.replicas).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["runcms.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Seconds every use of Redis (the cache, and the API throttle through it) waits to connect
# and for an answer. redis-py's default is 5 s a command: a Redis that accepts connections but
# never answers would stall each API request and /healthz for 10 s while pages answer at once.
REDIS_SOCKET_CONNECT_TIMEOUT = env.float("REDIS_SOCKET_CONNECT_TIMEOUT", default=0.25)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.25)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].startswith("django_redis."):
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    # Should Redis go away or hang, the site keeps answering (the API throttle lets requests
    # through) and the error is logged; /healthz reports the cache as unavailable.
    _redis_options.update({"IGNORE_EXCEPTIONS": True, "LOG_IGNORED_EXCEPTIONS": True})
    # CACHE_URL may set its own (redis://host:6379/0?socket_timeout=0.5).
    _redis_options.setdefault("SOCKET_CONNECT_TIMEOUT", REDIS_SOCKET_CONNECT_TIMEOUT)
    _redis_options.setdefault("SOCKET_TIMEOUT", REDIS_SOCKET_TIMEOUT)

# Background jobs (runcms.jobs): with JOBS_URL (a Redis URL, the broker) tasks are queued for
# `celery -A runcms.jobs worker --beat`; without it they run in-process at once. Every run is
# stored in the database (django-celery-results), so the admin shows its status and error.
JOBS_URL = env("JOBS_URL", default="")
CELERY_BROKER_URL = JOBS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not JOBS_URL
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = timedelta(days=env.int("RUNCMS_JOB_RESULT_DAYS", default=7))
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
_job_visibility_timeout = env.int("RUNCMS_JOB_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A job not acknowledged within this many seconds (its worker died) is handed to another
    # worker; such jobs are looked for every 10 s at most, and when a worker starts.
    "visibility_timeout": _job_visibility_timeout,
    "unacked_restore_interval": min(10, _job_visibility_timeout),
    "unacked_restore_throttle": 1,
    # A Redis that is gone or hangs costs a save a few seconds at most: the job is then kept in
    # the database (runcms.models.UnsentJob) and queued by `send_unsent_jobs` once Redis answers.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # Several sites (or test runs) on one Redis database keep their queues apart with this.
    "global_keyprefix": env("RUNCMS_JOB_KEY_PREFIX", default=""),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = "UTC"
# How often the worker's scheduler (--beat) looks for publish and unpublish times that passed
# (their webhooks, the documents they make stale) and for webhook deliveries due a retry.
RUNCMS_SCHEDULE_CHECK_SECONDS = env.int("RUNCMS_SCHEDULE_CHECK_SECONDS", default=30)
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": RUNCMS_SCHEDULE_CHECK_SECONDS}
    for name, task in [
        ("scheduled-moments", "runcms.webhooks.tasks.check_schedules"),
        ("due-webhook-deliveries", "runcms.webhooks.tasks.deliver_due"),
        ("stale-documents", "runcms.tasks.refresh_documents"),
        ("unsent-jobs", "runcms.jobs.send_unsent_jobs"),
        ("due-drafts", "runcms.tasks.publish_due_drafts"),
    ]
}

# Webhooks (runcms.webhooks): seconds to connect and to wait for an answer, how many attempts a
# delivery gets, and whether endpoints may be private addresses (loopback, 10.x, 192.168.x…).
RUNCMS_WEBHOOK_TIMEOUT = env.float("RUNCMS_WEBHOOK_TIMEOUT", default=5)
RUNCMS_WEBHOOK_MAX_ATTEMPTS = env.int("RUNCMS_WEBHOOK_MAX_ATTEMPTS", default=8)
RUNCMS_WEBHOOK_ALLOW_PRIVATE = env.bool("RUNCMS_WEBHOOK_ALLOW_PRIVATE", default=False)
RUNCMS_WEBHOOK_RESPONSE_CHARS = 1000
# A webhook endpoint for a CDN purge, kept by itself (runcms.webhooks.purge): every event, whose
# `urls` are the addresses to purge. Its secret is generated unless given.
RUNCMS_CDN_PURGE_URL = env("RUNCMS_CDN_PURGE_URL", default="")
RUNCMS_CDN_PURGE_SECRET = env("RUNCMS_CDN_PURGE_SECRET", default="")

# Login protection (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords in a row for one
# username from one address, that pair is locked out for LOGIN_COOLOFF_MINUTES, or until an
# administrator deletes its access attempts in the admin. The address is the one the API
# throttle counts by (API_NUM_PROXIES), so a client cannot dodge it with X-Forwarded-For.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before checking the password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "runcms.api.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "runcms.lockout.locked_out"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages the site publishes in (`LANGUAGES=en,de,zh-hans`), the first being the default unless
# LANGUAGE_CODE names another; each falls back along LANGUAGE_FALLBACKS (`zh-hant:zh-hans`: traditional
# Chinese, then simplified) and then to the default. Text is stored in columns per language
# (django-modeltranslation) for CONTENT_LANGUAGES: a language outside them needs its columns
# first (add it there, then `makemigrations` and `migrate`; see the README).
CONTENT_LANGUAGES = env.list("CONTENT_LANGUAGES", default=["en", "de", "zh-hans", "zh-hant"])
_languages = env.list("LANGUAGES", default=["en"])
LANGUAGE_CODE = env("LANGUAGE_CODE", default=_languages[0])
LANGUAGES = [(code, LANG_INFO.get(code, {}).get("name", code)) for code in dict.fromkeys([LANGUAGE_CODE, *_languages])]
LANGUAGE_FALLBACKS = {
    chain.split(":")[0]: tuple(chain.split(":")[1:]) for chain in env.list("LANGUAGE_FALLBACKS", default=[]) if chain
}
MODELTRANSLATION_LANGUAGES = tuple(CONTENT_LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": (LANGUAGE_CODE,), **LANGUAGE_FALLBACKS}
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# Dates and times in the admin as "2026-06-01 12:00", whatever its language (runcms/formats).
FORMAT_MODULE_PATH = ["runcms.formats"]

# Static files are compressed and fingerprinted by whitenoise, so a CDN can cache them forever.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# S3-compatible object storage for media when a bucket is configured; local files otherwise.
# Objects are private: the app's media view checks who may see a file, then redirects to a
# signed URL that lives RUNCMS_MEDIA_SIGNED_URL_SECONDS (see drills/media/bucket.py).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as _S3Config

    _media_storage = {
        "BACKEND": "drills.media.bucket.MediaBucketStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_expire": env.int("RUNCMS_MEDIA_SIGNED_URL_SECONDS", default=300),
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            # A bucket that is down costs an upload seconds, not the minute of boto's defaults.
            "client_config": _S3Config(
                connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=2),
                read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=20),
                retries={"max_attempts": env.int("AWS_S3_MAX_ATTEMPTS", default=3), "mode": "standard"},
            ),
        },
    }
    # Browsers check the target of the media view's redirect against the page's CSP.
    _options = _media_storage["OPTIONS"]
    if _options["endpoint_url"]:
        _scheme, _, _host = _options["endpoint_url"].partition("://")
        CSP_MEDIA_ORIGINS.append(f"{_scheme}://{_host.split('/')[0]}")
    else:
        CSP_MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
        if _options["region_name"]:
            CSP_MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_options['region_name']}.amazonaws.com")
    if _options["custom_domain"]:
        CSP_MEDIA_ORIGINS.append(f"https://{_options['custom_domain']}")
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Upload limits, in bytes and pixels (every frame of an animation counts).
RUNCMS_MEDIA_MAX_BYTES = env.int("RUNCMS_MEDIA_MAX_BYTES", default=50 * 1024 * 1024)
RUNCMS_MEDIA_MAX_PIXELS = env.int("RUNCMS_MEDIA_MAX_PIXELS", default=50_000_000)
RUNCMS_MEDIA_MAX_FRAMES = env.int("RUNCMS_MEDIA_MAX_FRAMES", default=1000)
# How many rendition builds may run at once on one machine (across all workers; 0: no limit),
# and where their lock files live (default: the system's temporary folder).
RUNCMS_RENDITION_JOBS = env.int("RUNCMS_RENDITION_JOBS", default=2)
RUNCMS_RENDITION_LOCK_DIR = env("RUNCMS_RENDITION_LOCK_DIR", default="")
# How long a file that passed its checks is kept for a media form shown again with errors.
RUNCMS_KEPT_UPLOAD_MAX_AGE = env.int("RUNCMS_KEPT_UPLOAD_MAX_AGE", default=6 * 3600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body with files: a media file and its poster at the limit, plus the form.
RUNCMS_REQUEST_MAX_BYTES = env.int(
    "RUNCMS_REQUEST_MAX_BYTES", default=2 * RUNCMS_MEDIA_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
)
FILE_UPLOAD_HANDLERS = [
    "runcms.request_limits.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Absolute URLs in the API and feeds; empty means "the host of the request".
RUNCMS_PUBLIC_BASE_URL = env("RUNCMS_PUBLIC_BASE_URL", default="")
RUNCMS_PREVIEW_MAX_AGE = env.int("RUNCMS_PREVIEW_MAX_AGE", default=7 * 24 * 3600)
# Review notifications (runcms.review): the mail server as a URL, e.g.
# smtp+tls://user:password@smtp.example.com:587; the quick start prints mails on the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="runcms@localhost")
RUNCMS_SYNC_TOKEN_MAX_AGE = env.int("RUNCMS_SYNC_TOKEN_MAX_AGE", default=90 * 24 * 3600)
# API answers kept in the shared cache (Redis, CACHE_URL) under their ETag, never past the next
# scheduled publish or unpublish time, nor past this many seconds (see runcms.api.caching).
RUNCMS_API_CACHE = env.bool("RUNCMS_API_CACHE", default=True)
RUNCMS_API_CACHE_SECONDS = env.int("RUNCMS_API_CACHE_SECONDS", default=300)
# Without a shared cache, each worker keeps answers in its own memory, up to this many MiB.
RUNCMS_API_LOCAL_CACHE_MB = env.int("RUNCMS_API_LOCAL_CACHE_MB", default=32)

# Security: secure by default whenever DEBUG is off, each value overridable by its Django name.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", default="strict-origin-when-cross-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating load balancer, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
_proxy_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None
# /healthz is called by load balancers over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Browser features no page of the site uses stay off, for embedded frames too; the video
# player keeps its full-screen and picture-in-picture buttons.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": "self",
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": "self",
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, "blob:", *CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Apps in a browser revalidate their copies (If-None-Match) and read ETag and Retry-After.
CORS_ALLOW_HEADERS = (*default_headers, "if-none-match")
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["runcms.api.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="120/minute")},
    # How many proxies in front of the app append to X-Forwarded-For. With 0, the throttle
    # counts by REMOTE_ADDR alone: a header any client can write must not buy a fresh quota.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "runcms API",
    "DESCRIPTION": "Published drills, programs, articles and cue media, with offline delta sync.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "runcms.api.schema.response_only_objects",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

LOGIN_URL = "admin:login"
