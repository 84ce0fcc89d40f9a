"""Ladder's settings: one module, every deploy-time value read from the environment.

With no environment set, Ladder runs embedded: SQLite under var/, Celery tasks in-process,
files under var/media, email to the console. Setting DATABASE_URL and REDIS_URL gives the
production shape; DJANGO_ENV=production switches on the safety checks below.
Reference: https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.oidc_issuer import check_issuer as check_oidc_issuer
from config.oidc_issuer import origin_of as oidc_origin

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LADDER_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# ---------------------------------------------------------------------------------------------
# Environment and safety
# ---------------------------------------------------------------------------------------------

DJANGO_ENV = env("DJANGO_ENV", "development")  # development | test | production
PRODUCTION = DJANGO_ENV == "production"

_EMBEDDED_SECRET_KEY = "embedded-development-key-not-for-production"  # noqa: S105 (not a secret) # nosec B105
SECRET_KEY = env("SECRET_KEY", _EMBEDDED_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION and DJANGO_ENV != "test")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if SECRET_KEY == _EMBEDDED_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs a real SECRET_KEY (50+ random characters)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS (comma-separated).")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production cannot run with DEBUG on.")

# ---------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "django_htmx",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "nhsuk_forms",  # the crispy-forms template pack and NHS.UK form widgets
    # Ladder, lowest floor first: core <- programmes <- trainees <- competencies, evaluations <-
    # people, delegation <- credentials, reports
    "core",
    "programmes",
    "trainees",
    "competencies",
    "evaluations",
    "people",  # invitations, roles managed in the app, single sign-on
    "delegation",  # partnerships' assessors, delegation records, supervision contacts
    "credentials",  # Open Badges 3.0 credentials, did:web, status lists, public verification
    "reports",
    "privacy",  # subject access export and erasure: reads every floor, so it sits at the top
    "dashboards",
    "api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (strict CSP)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Keeps a form sent after the session ended, and sends it again once the person signs in.
    "core.resume.ResumeAfterSignInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.ActiveMembershipMiddleware",
    # Records the signed-in person as the actor of every audited change in the request.
    "auditlog.middleware.AuditlogMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    # Locks out repeated failed logins (django-axes); must come last.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Serves the collected, hashed static files from gunicorn. In development runserver and
    # the test live server serve them from STATICFILES_DIRS.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.membership",
                "dashboards.context_processors.navigation",
                "dashboards.context_processors.session_end",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------
# Database: SQLite under var/ unless DATABASE_URL names PostgreSQL
# ---------------------------------------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default keeps its state in var/
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'ladder.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# The home pages' statements (core/prepared.py) are prepared on the PostgreSQL server once a
# connection, and only executed afterwards. Turn off behind a pooler that shares a server
# session between clients (PgBouncer in transaction or statement mode).
PREPARED_STATEMENTS = env_bool("PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------
# Redis: Celery broker and shared cache, when configured
# ---------------------------------------------------------------------------------------------

REDIS_URL = env("REDIS_URL")


def _redis_url_for_test_worker(url: str) -> str:
    """Under pytest-xdist, each test worker (gw0, gw1, ...) in the pytest process itself uses
    its own Redis database: REDIS_URL's number plus the worker's index. The database is also
    the Celery broker; the tests never FLUSHDB it (no cache.clear(): tests/conftest.py
    own_cache), and workers apart cannot see each other's keys or jobs at all. Processes the
    tests start (Celery workers, manage.py) are given the worker's URL and do not import
    pytest, so the offset is never added twice."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if DJANGO_ENV != "test" or not url or not worker.startswith("gw") or "pytest" not in sys.modules:
        return url
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    base = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker.removeprefix('gw'))}"))


REDIS_URL = _redis_url_for_test_worker(REDIS_URL)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",  # Django's, each client made once
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "ladder"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Page fragments cached under the data version (core/data_version.py, core/templatetags/
# data_cache.py). Off in the test suite: its tests roll back instead of committing, so the
# version never moves inside a test; tests/core/test_data_version.py turns it on and commits.
CACHES["fragments"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} if DJANGO_ENV == "test"
    else {**CACHES["default"], "KEY_PREFIX": CACHES["default"].get("KEY_PREFIX", "ladder") + "-fragments"}
)

# ---------------------------------------------------------------------------------------------
# Celery (https://docs.celeryq.dev/en/stable/userguide/configuration.html)
# ---------------------------------------------------------------------------------------------

# "memory://" alone makes kombu warn "No hostname was supplied" whenever it describes the broker.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None  # jobs record their own state in the database
# Without a broker, tasks run in-process: the embedded default needs no worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only when it finishes, so a worker that dies mid-task hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
# Redis redelivers an unacknowledged task after this long; it must exceed the longest hard time
# limit of any task (the bulk enrolment import allows 31 minutes), or a slow task would be run
# twice. Tasks guard against that too (they lock their job row).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 40 * 60),
    # Workers look for such tasks about every interval x throttle seconds (kombu's defaults:
    # 10 x 10). The fault tests shorten both to see a redelivery within seconds.
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
    # A channel opened on a broker that is down fails at once rather than after kombu's own
    # retries (broker_connection_timeout, 4 s, plus its sleeps: 6 s): a page publishing a job
    # says the queue is unavailable straight away. Whoever wants retries asks for them: the
    # worker's connection (broker_connection_retry, broker_connection_max_retries) and a
    # publish's retry_policy (core.jobs) each give their own, which kombu applies instead.
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "ladder"
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "config.celery.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    "interview-reminders": {
        "task": "evaluations.send_interview_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "fail-stuck-report-jobs": {
        "task": "reports.fail_stuck_jobs",
        "schedule": crontab(minute="*/10"),
    },
    # Competence whose validity ended: announced once (delegations suspend, credentials lapse).
    # One weekly digest per person instead of a stream (dashboards/digest.py).
    "weekly-digest": {
        "task": "dashboards.send_weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    # For the people who chose reminders "as they happen" instead (dashboards/reminders.py).
    "reminders-as-they-happen": {
        "task": "dashboards.send_reminders_as_they_happen",
        "schedule": crontab(hour="7-19", minute=20),
    },
    "sweep-expired-attainment": {
        "task": "competencies.sweep_expired_attainment",
        "schedule": crontab(hour=1, minute=15),
    },
}

# Signal receivers (evaluations reacting to an enrolment's new status, and the floors above
# told of sign-offs) run after the change has committed, so in production a failure is logged
# and never undoes or breaks the request that made the change. Under tests it is raised, so a
# broken receiver fails the test instead of passing silently (core.receivers.receiver_guard).
RECEIVERS_RAISE = env_bool("RECEIVERS_RAISE", default=DJANGO_ENV == "test")

# ---------------------------------------------------------------------------------------------
# Authentication and sessions
# ---------------------------------------------------------------------------------------------

# django-axes checks every login attempt first: after AXES_FAILURE_LIMIT failures for one
# username from one address, that pair is locked out for AXES_COOLOFF_TIME (and it is logged).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)  # proxies in front of gunicorn
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's checks in Ladder's words (people/passwords.py).
    {"NAME": "people.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "people.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "people.passwords.CommonPasswordValidator"},
    {"NAME": "people.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# Password-reset requests: at most this many a minute for one email address, and for one
# client address (a trust's NAT puts many people behind one address, hence the higher limit).
PASSWORD_RESET_RATE_PER_ADDRESS = env_int("PASSWORD_RESET_RATE_PER_ADDRESS", 5)
PASSWORD_RESET_RATE_PER_CLIENT = env_int("PASSWORD_RESET_RATE_PER_CLIENT", 20)

# Sessions end after an hour without activity, and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60)
# Sliding expiry without a write per request: core.sessions.SlidingSessionMiddleware saves the
# session (pushing its expiry SESSION_COOKIE_AGE ahead) once its last refresh is this old.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_AFTER = env_int("SESSION_REFRESH_AFTER", 5 * 60)
# Pages warn this long before an idle session ends, with a button to stay signed in
# (static/js/session-warning.js).
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# ---------------------------------------------------------------------------------------------
# Single sign-on (OpenID Connect), off unless OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET
# are all set. people/sso.py reads the provider's endpoints and keys from
# {OIDC_ISSUER}/.well-known/openid-configuration; mozilla-django-oidc runs the code flow.
# https://mozilla-django-oidc.readthedocs.io/en/stable/settings.html
# ---------------------------------------------------------------------------------------------

OIDC_ISSUER = env("OIDC_ISSUER").rstrip("/")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_LOGIN_LABEL = env("OIDC_LOGIN_LABEL", "Sign in with your organisation's account")
# Some providers (Microsoft Entra ID among them) send no email_verified claim; only a provider
# whose every address belongs to the organisation that runs it may be trusted without it.
OIDC_REQUIRE_EMAIL_VERIFIED = env_bool("OIDC_REQUIRE_EMAIL_VERIFIED", default=True)


if OIDC_ISSUER:
    check_oidc_issuer(OIDC_ISSUER)  # refuses plain http except on loopback, saying why

# mozilla-django-oidc's own settings (its client id, secret and the provider's endpoints are
# given to it by people.sso from the settings above and from discovery).
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256")  # verified against the provider's JWKS
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False  # nobody gets an account without an invitation
OIDC_AUTHENTICATION_CALLBACK_URL = "people:sso_callback"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_STORE_ID_TOKEN = False
OIDC_STORE_ACCESS_TOKEN = False

# ---------------------------------------------------------------------------------------------
# Security headers (https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/)
# ---------------------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container healthchecks call it over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content Security Policy (django-csp 4): everything from our own origin, no inline scripts or
# styles anywhere, no plugins, no framing. https://django-csp.readthedocs.io/
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # Plus the identity provider's origin when single sign-on is on (below): the invitation
        # page's "sign in with single sign-on" is a form whose redirects end at the provider,
        # and browsers hold every redirect after a form to form-action.
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if OIDC_ISSUER:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(oidc_origin(OIDC_ISSUER))

# ---------------------------------------------------------------------------------------------
# Internationalisation
# ---------------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

# ---------------------------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# Our own files, and the NHS.UK frontend built from node_modules by `npm run build`.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------------------------

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Ladder <ladder@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------------------------
# Forms: every form renders as NHS.UK frontend components (templates/nhsuk/)
# ---------------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG

# ---------------------------------------------------------------------------------------------
# Logging: to the console, where gunicorn and Celery collect it
# ---------------------------------------------------------------------------------------------

# django-axes says "AXES: BEGIN ..." as each process starts: say it where Ladder serves (the
# web process that answers, a worker), not in every management command nor in runserver's
# watching parent as well as its serving child.
_COMMAND = sys.argv[1] if len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") else None
_SERVING = _COMMAND is None or (
    _COMMAND == "runserver" and (os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals": {"()": "config.log_filters.RefusalWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["refusals"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django gives its "django" logger a console handler of its own when DEBUG is on; with
        # the root's, every 403 and 404 was printed twice. One handler: the root's.
        "django": {"handlers": [], "propagate": True},
        "django.utils.autoreload": {"level": "WARNING"},  # runserver prints it already
        "axes.apps": {"level": "INFO" if _SERVING else "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO: noise in the worker's log.
        "weasyprint": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------------------------
# Ladder
# ---------------------------------------------------------------------------------------------

# The audit trail (django-auditlog): every change to a trainee's record, with who and when.
AUDITLOG_INCLUDE_ALL_MODELS = False  # models are registered one by one in their apps
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Where Ladder is reached, for links in emails sent outside a request (reminders).
LADDER_BASE_URL = env("LADDER_BASE_URL", "http://127.0.0.1:8000")

# How long an invitation link works (people.services.invitation_create).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

# Verifiable credentials (credentials/): Open Badges 3.0 signed as VC-JWT by each organisation,
# whose keys are published as did:web documents under LADDER_PUBLIC_URL
# (https://w3c-ccg.github.io/did-method-web/). The public address must be the one people reach:
# it is written into every credential and cannot change afterwards without breaking them.
LADDER_PUBLIC_URL = env("LADDER_PUBLIC_URL", LADDER_BASE_URL).rstrip("/")
# Issuers' private keys are stored encrypted with Fernet (cryptography). Comma-separated keys:
# the first encrypts, all decrypt, so this key can itself be rotated. Make one with
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
# Or LADDER_KEY_ENCRYPTION_KEY_FILE: a file holding the same (e.g. a mounted secret).
LADDER_KEY_ENCRYPTION_KEY = env("LADDER_KEY_ENCRYPTION_KEY")
if not LADDER_KEY_ENCRYPTION_KEY and env("LADDER_KEY_ENCRYPTION_KEY_FILE"):
    LADDER_KEY_ENCRYPTION_KEY = Path(env("LADDER_KEY_ENCRYPTION_KEY_FILE")).read_text().strip()
# Production without one: `check --deploy` fails (credentials.E001) and no key can be used.

# Signed-off competence reads "expiring" this many days before its validity ends.
ATTAINMENT_EXPIRING_DAYS = env_int("ATTAINMENT_EXPIRING_DAYS", 60)

# ---------------------------------------------------------------------------------------------
# REST API (/api/v1/): Django REST framework and drf-spectacular (the OpenAPI schema)
# https://www.django-rest-framework.org/api-guide/settings/
# ---------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # with its CSRF check
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ActsThroughMembership"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    # Requests a minute, per token and per person (over all their tokens and their session).
    "DEFAULT_THROTTLE_RATES": {
        "api_token": f"{env_int('API_TOKEN_RATE_PER_MINUTE', 120)}/min",
        "api_user": f"{env_int('API_USER_RATE_PER_MINUTE', 240)}/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ladder API",
    "DESCRIPTION": (
        "Programmes, cohorts, trainees and their records, competencies, evaluations and "
        "reports, with the same access rules as the pages. Authenticate with a personal token "
        "(`Authorization: Bearer <token>`, made on /account/tokens/) or the browser session. "
        "Lists are paginated (`page`, `page_size` up to 100)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.ActsThroughMembership"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EnrolmentOutcomeEnum": "trainees.models.Enrolment.Outcome",
        "StudySessionOutcomeEnum": "trainees.models.StudySession.Outcome",
        "EnrolmentStatusEnum": "trainees.models.Enrolment.Status",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
    ],
}

# Fault tests only (tests/robustness/faults): a pause after each stage of a report render, so a
# test can kill the worker mid-render. Always 0 outside those tests.
LADDER_TEST_REPORT_STAGE_PAUSE_SECONDS = float(env("LADDER_TEST_REPORT_STAGE_PAUSE_SECONDS", "0"))
