"""SpecPortal settings, read from the environment.

DATABASE_URL   database (default: SQLite file db.sqlite3 beside manage.py)
SECRET_KEY     required when DEBUG is off in production
DEBUG          "1"/"true" turns on debug pages (off by default)
ALLOWED_HOSTS  comma-separated host names (default: localhost names)
REDIS_URL      cache on Redis when set; local memory otherwise
"""

import json
import os
import warnings
from pathlib import Path

import dj_database_url

from specs_app.limits import MAX_REQUEST_BYTES, MAX_SPEC_FILE_BYTES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-development-only-key-do-not-deploy")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_rq",
    "specs_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An email's link (?notification=<id>) marks that notification read for its recipient.
    "specs_app.review.middleware.NotificationLinkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "specs_app.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "specportal.urls"
WSGI_APPLICATION = "specportal.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests in the dev server otherwise fail with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "specportal"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # Redis down = cache miss, never a 500; give up fast rather than hold a worker.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an outage shows in the log, not only as slowness
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "specs:project-list"
LOGOUT_REDIRECT_URL = "specs:project-list"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_flag("STATIC_MANIFEST")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve straight from the source folders unless collectstatic ran (production).
WHITENOISE_USE_FINDERS = not env_flag("STATIC_MANIFEST")
if WHITENOISE_USE_FINDERS:
    # STATIC_ROOT only exists after collectstatic; the finders serve meanwhile.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "specportal@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
# The site's address as people reach it: emails link to pages with it (they have no request to ask).
SITE_URL = os.environ.get("SPECPORTAL_SITE_URL", "http://localhost:8000").rstrip("/")

# Specs repositories in git (specs_app.gitrepo): working copies live here, one folder per project.
SPECPORTAL_GIT_DIR = Path(os.environ.get("SPECPORTAL_GIT_DIR", BASE_DIR / "var" / "git"))
# Who commits for SpecPortal (each commit's author is the spec's owner).
SPECPORTAL_GIT_COMMITTER_NAME = os.environ.get("SPECPORTAL_GIT_COMMITTER_NAME", "SpecPortal")
SPECPORTAL_GIT_COMMITTER_EMAIL = os.environ.get("SPECPORTAL_GIT_COMMITTER_EMAIL", DEFAULT_FROM_EMAIL)
# Deploy keys or tokens, by project slug ("*" for all), as JSON in the environment, e.g.
# {"nova": {"ssh_key": "/run/secrets/nova-deploy-key"}, "*": {"http_token": "..."}}.
# Kept out of the database so a database dump never carries them.
SPECPORTAL_GIT_CREDENTIALS = json.loads(os.environ.get("SPECPORTAL_GIT_CREDENTIALS", "{}"))

# Background jobs (a repository sync): RQ on its own Redis, which must not evict keys the
# way the cache's does. Without JOBS_REDIS_URL a job runs inside the request that starts it,
# which suits the development server and small repositories.
JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL", "")
SPECPORTAL_JOBS_QUEUE = "default"
RQ_QUEUES = {
    SPECPORTAL_JOBS_QUEUE: {"URL": JOBS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}
}

# Render workers per web process (specs_app.rst.sandbox): a preview renders in a free one, so
# this many people's previews render at once in one gunicorn worker's threads. Default: the
# cores there are, at most 4 (each worker process holds docutils and its last renders).
SPECPORTAL_RENDER_WORKERS = int(os.environ.get("SPECPORTAL_RENDER_WORKERS") or min(4, os.cpu_count() or 1))

# Posted specs: the same body limit as the API's, derived from the spec size
# limit (specs_app/limits.py), so a form holding a legal spec is never refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
# Not a limit: uploads larger than this are spooled to disk (a legal spec file stays in memory).
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_SPEC_FILE_BYTES + 64 * 1024
# A whole specs repository uploaded as an archive (specs_app/transfer/archives.py): the upload,
# what it unpacks to, and its files and folders. nova-specs is 2.3 MB as a .tar.gz (9.7 MB unpacked).
REPOSITORY_ARCHIVE_MAX_BYTES = int(os.environ.get("REPOSITORY_ARCHIVE_MAX_BYTES", 50 * 2**20))
REPOSITORY_ARCHIVE_MAX_UNPACKED_BYTES = int(
    os.environ.get("REPOSITORY_ARCHIVE_MAX_UNPACKED_BYTES", 200 * 2**20)
)
REPOSITORY_ARCHIVE_MAX_FILES = int(os.environ.get("REPOSITORY_ARCHIVE_MAX_FILES", 20_000))

REST_FRAMEWORK = {
    # Token first: an unauthenticated request gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "specs_app.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "specs_app.api.errors.exception_handler",
    # Formats are chosen by the Accept header and the endpoint, not by ?format=.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_THROTTLE_RATES": {"render": "120/min", "import": "30/min"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SpecPortal API",
    "DESCRIPTION": "Draft, check, review and export design specs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request components: files as binary, blank-refusing strings with minLength.
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields named "state" in two resources: a comment thread's and a repository sync's.
    "ENUM_NAME_OVERRIDES": {
        "ThreadStateEnum": "specs_app.models.review.ThreadState",
        "SyncJobStateEnum": "specs_app.models.git.SyncJob.State",
        # Two choice sets of fields named "kind": a comment's keeps the name it had alone.
        "KindEnum": "specs_app.models.review.CommentKind",
        "NotificationKindEnum": "specs_app.models.review.Notification.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "specs_app.api.schema.require_fields_in_patch",
    ],
}

# The template this product was specified from; every new project starts with it.
DEFAULT_TEMPLATE_PATH = BASE_DIR / "specs_app" / "default_templates" / "cinder" / "template.rst"

if not DEBUG:
    # Production behind HTTPS: `manage.py check --deploy` wants every one of these on.
    # They stay off by default so plain-HTTP runs (scripts/run, a loopback gunicorn) work.
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", default=False)
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=False)
    # Trusted only because the proxy in front (deploy/nginx.conf) always overwrites this
    # header and gunicorn is reachable through that proxy alone.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # e.g. "security.W021" where HSTS preloading is a decision the domain's owner has not made.
    SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
