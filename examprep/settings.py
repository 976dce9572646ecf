"""Settings for ExamPrep, read from the environment.

Production is the default: DEBUG, the development key and any relaxed host or TLS rule only
come when DJANGO_DEBUG=1 asks for them (the Makefile's local targets do). Helpers fail loudly on
values they cannot parse.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


# Off unless asked for: an image started with only DATABASE_URL must not serve debug pages.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    # Development only: a fixed key keeps sessions alive across `make run` restarts.
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
# With DEBUG off and no SECRET_KEY, tooling (check, migrate, collectstatic) still runs, but
# nothing can serve: examprep/wsgi.py refuses to start, `check --deploy` reports it, and
# Django refuses any use of an empty key.

# Local names only by default, in debug too: examprep/checks.py refuses DEBUG with public hosts.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    "axes",
    "examprep",
    "accounts",
    "questions",
    "attempts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before anything below can touch the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "examprep.middleware.DatabaseUnavailableMiddleware",
    "examprep.middleware.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.timezones.TimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "examprep.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "examprep.urls"
WSGI_APPLICATION = "examprep.wsgi.application"

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


def database_from_url(url: str) -> dict:
    """DATABASES["default"] from a URL, keeping its query options (e.g. ?sslmode=require)."""
    database = dj_database_url.parse(url, conn_max_age=0)
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.postgresql":
        # psycopg 3's pool replaces persistent connections: CONN_MAX_AGE must stay 0 with it.
        options["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 2),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            # A request waits at most this long for a connection, then fails fast into a 503
            # (examprep/middleware.py) instead of holding a worker while the database is down.
            "timeout": env_int("DB_POOL_TIMEOUT", 3),
        }
        # Each connection is checked as it leaves the pool, so after a database restart the
        # dead ones are replaced instead of failing the next requests: Django passes psycopg's
        # check to the pool, and examprep/postgresql swaps in examprep.db's, which clears
        # every dead connection at the first one found.
        database["CONN_HEALTH_CHECKS"] = True
        database["ENGINE"] = "examprep.postgresql"
        options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3))
    elif database["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so two concurrent saves queue up on the busy
        # timeout instead of failing with "database is locked" halfway through a transaction.
        options.update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
        # Opening SQLite and running the PRAGMAs cost a request more than its own queries:
        # each worker thread keeps its connection (autocommit, so no transaction is left open
        # between requests). 0 turns it off.
        database["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 600)
        database["CONN_HEALTH_CHECKS"] = True
        # A file, not Django's shared in-memory database, for the test database: the browser
        # tests' live server answers overlapping requests from several threads, which an
        # in-memory database serializes with "database table is locked" errors.
        database["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
    return database


# The URL holds the password, so it is read once here and never kept as a setting (the debug
# page and error reports list settings); ExceptionReporterFilter masks it in request.META too.
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "examprep.errors.ExceptionReporterFilter"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes throttles the site's login and the admin's: both authenticate through it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Each parameter on its own: one username tried from many addresses, and one address trying
# many usernames, are both stopped.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every management command
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
# Sign-ups per address and hour (accounts/throttle.py).
SIGNUP_LIMIT_PER_HOUR = env_int("SIGNUP_LIMIT_PER_HOUR", 10)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# Both bind every subdomain (and, once preloaded, browsers for months): the operator opts in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# check --deploy warns about these two opt-ins; leaving them off is the decision, not an oversight.
SILENCED_SYSTEM_CHECKS = [
    check
    for check, enabled in (
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_PRELOAD),
    )
    if not enabled
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of our own stand in front of the app and append to X-Forwarded-For: the
# log-in and sign-up limits then count the client, not the proxy (accounts/throttle.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

# Strict CSP (django-csp): scripts and styles only from our own origin, which is why htmx is
# served from django-htmx's static files, never a CDN. Nonce-free: the project has no inline
# script. examprep/middleware.py relaxes inline styles under /admin/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
