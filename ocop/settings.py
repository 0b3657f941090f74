"""Settings for the OCOP platform.

One file, filled from environment variables (as healthchecks does). The defaults are safe for
development on one machine: SQLite in the project folder, media on local disk, tasks stored in the
database and run by `manage.py db_worker`. Production (`OCOP_ENV=production`) refuses to start with a
default secret or with DEBUG on.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def envsecret(name, default):
    """A secret from NAME, or from the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envlist(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105
DEV_STAMP_KEY = "dev-only-stamp-key"

OCOP_ENV = os.environ.get("OCOP_ENV", "development")
PRODUCTION = OCOP_ENV == "production"
DEBUG = envbool("DEBUG", not PRODUCTION)
SECRET_KEY = envsecret("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

if PRODUCTION:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Set SECRET_KEY (at least 32 characters) in production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")

INSTALLED_APPS = [
    "ocop.accounts.adminconfig.OCOPAdminConfig",  # django.contrib.admin, with the second factor at its login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "ocop.core",
    "ocop.geo",
    "ocop.accounts",
    "ocop.registry",
    "ocop.criteria",
    "ocop.evaluation",
    "ocop.certificates",
    "ocop.stamps",
    "ocop.programme",
    "ocop.market",
    "ocop.reports",
    "ocop.catalog",
    "ocop.backoffice",
    "ocop.api",
]

MIDDLEWARE = [
    # Hands the final headers of a freshly rendered verify or product page to the page cache, for the
    # fast path in front of Django to replay (ocop/core/fastpath.py).
    "ocop.core.fastpath.CaptureHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ocop.accounts.middleware.MustChangePasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a session of a two-factor account that no device verified (ocop/accounts/otp.py).
    "ocop.accounts.otp.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ocop.core.middleware.DatabaseUnavailableMiddleware",
    "ocop.dbrouter.ReplicaMiddleware",
    "axes.middleware.AxesMiddleware",
]

# (path regex, handler) for the fast path in front of Django (ocop/core/fastpath.py, wrapped around
# the WSGI application in ocop/wsgi.py); tests/core/test_fastpath.py checks each against the URLconf.
# FASTPATH=off leaves every request to Django (for comparison, or to rule the fast path out).
FASTPATH_ROUTES = (
    [
        (r"^/[vV]/(?P<code>[^/]+)$", "ocop.catalog.views.verify.fast"),
        (r"^/products/(?P<pk>[0-9]+)/(?P<slug>[^/]+)/$", "ocop.catalog.views.product.fast"),
    ]
    if envbool("FASTPATH", True)
    else []
)

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ocop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocop.core.context_processors.platform",
                "ocop.backoffice.context_processors.office_nav",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise. SQLite is the embedded
# default because a province office can run the platform on one machine with nothing else installed.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" on upgrades from read to write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES["default"]["TEST"] = (
    {"NAME": os.environ.get("TEST_DATABASE_NAME")} if os.environ.get("TEST_DATABASE_NAME") else {}
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Optional read replica (PostgreSQL streaming replica): public anonymous reads go there (ocop/dbrouter.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ocop.dbrouter.ReplicaRouter"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "catalog:home"

# Login throttling: 5 failures per username and address lock the pair for 15 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ocop.formats"]
# Our catalogs come first so that our wording wins over Django's and third-party apps' catalogs.
LOCALE_PATHS = sorted((BASE_DIR / "ocop").glob("*/locale"))

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "ocop" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private files (dossier evidence): a folder outside MEDIA_ROOT that the web server never serves by URL;
# they leave only through permission-checked views (ocop/core/privatefiles.py). With a front server,
# PRIVATE_FILES_SERVER hands the sending back to it: "x-accel-redirect" (nginx, Caddy) answers with an
# X-Accel-Redirect to PRIVATE_FILES_INTERNAL_URL + name (an internal-only location), "x-sendfile"
# (Apache mod_xsendfile, lighttpd) with the absolute path; empty: Django streams the file itself.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
PRIVATE_FILES_SERVER = os.environ.get("PRIVATE_FILES_SERVER", "").strip().lower()
if PRIVATE_FILES_SERVER not in ("", "django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        f"PRIVATE_FILES_SERVER must be x-accel-redirect, x-sendfile or empty, got {PRIVATE_FILES_SERVER!r}"
    )
PRIVATE_FILES_INTERNAL_URL = os.environ.get("PRIVATE_FILES_INTERNAL_URL", "/_private/")
STORAGES = {
    "default": {"BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "private": (
        {"BACKEND": os.environ["PRIVATE_STORAGE"]}
        if os.environ.get("PRIVATE_STORAGE")
        else {
            "BACKEND": "ocop.core.privatefiles.PrivateFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
        }
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads: larger files are refused by the forms with a message; this bounds memory use.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", 20)
MAX_PHOTO_MB = envint("MAX_PHOTO_MB", 8)
# Workbook import (ocop/certificates/importer/): rows of the first sheet read at most (blank rows included;
# a sheet with more is refused with a message) and the expanded size of the .xlsx archive.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_EXPANDED_MB = envint("IMPORT_MAX_EXPANDED_MB", 200)

# Background tasks: stored in the database and run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {
    "default": {
        # Django's Redis backend, keeping one client per process (see ocop/core/cache.py).
        "BACKEND": "ocop.core.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Mail (Django 6.1 MAILERS). SMTP when EMAIL_HOST is set, otherwise printed on the console.
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if _EMAIL_HOST
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {
            "host": _EMAIL_HOST,
            "port": envint("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": envsecret("EMAIL_HOST_PASSWORD", ""),
            "use_tls": envbool("EMAIL_USE_TLS", True),
        }
        if _EMAIL_HOST
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP <no-reply@ocop.local>")

# Stamps: serials carry a truncated HMAC under this key. STAMP_KEYS lets old keys keep verifying
# after a rotation: "id:key,id:key"; STAMP_KEY_ID names the key used for new batches.
STAMP_KEY = envsecret("STAMP_KEY", DEV_STAMP_KEY)
STAMP_KEY_ID = os.environ.get("STAMP_KEY_ID", "1")
STAMP_KEYS = dict(item.split(":", 1) for item in envlist("STAMP_KEYS", []) if ":" in item) or {
    STAMP_KEY_ID: STAMP_KEY
}
if PRODUCTION and STAMP_KEY == DEV_STAMP_KEY:
    raise ImproperlyConfigured("Set STAMP_KEY in production.")

# Security headers. CSP: scripts and styles from our own origin only, inline scripts need a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https://*.tile.openstreetmap.org"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# OCOP programme settings.
CERTIFICATE_VALID_MONTHS = envint("CERTIFICATE_VALID_MONTHS", 36)
CERTIFICATE_EXPIRING_DAYS = envint("CERTIFICATE_EXPIRING_DAYS", 90)
# Expiry notices, days before the end (QĐ 26/2026 Art. 7.6a: re-evaluation filed 180 to 120 days before).
CERTIFICATE_EXPIRY_NOTICE_DAYS = tuple(
    int(d) for d in os.environ.get("CERTIFICATE_EXPIRY_NOTICE_DAYS", "210,180,150").split(",") if d.strip()
)
# Public holidays on moving dates (Tết, Hùng Kings, the day joined to 2/9), ISO dates separated by commas:
# the commune's 15 working days (Art. 7.2) skip them, with weekends and 1/1, 30/4, 1/5, 2/9.
OCOP_EXTRA_HOLIDAYS = tuple(
    datetime.date.fromisoformat(d.strip())
    for d in os.environ.get("OCOP_EXTRA_HOLIDAYS", "").split(",")
    if d.strip()
)
# Certificate number pattern; fields: province, commune, seq, year.
CERTIFICATE_NUMBER_PATTERN = os.environ.get("CERTIFICATE_NUMBER_PATTERN", "{province}-{seq:05d}-{year}")
REFORM_DATE = "2025-07-01"  # the current administrative map is in force from this date

# Operations: /healthz fails when the oldest ready task waits longer than this, or disk runs low.
HEALTH_MAX_TASK_LAG_SECONDS = envint("HEALTH_MAX_TASK_LAG_SECONDS", 300)
HEALTH_MIN_FREE_DISK_MB = envint("HEALTH_MIN_FREE_DISK_MB", 1024)
# Background workers (`manage.py ocop_worker`, ocop/core/taskqueue.py): each beats every
# TASK_HEARTBEAT_SECONDS; a RUNNING task whose worker has not beaten for TASK_WORKER_TIMEOUT_SECONDS (a
# worker killed with SIGKILL, a machine that died) is put back in the queue, or, claimed by a worker that
# never beats (plain `db_worker`), once it has run TASK_MAX_RUN_SECONDS; after TASK_MAX_ATTEMPTS claims it
# is marked failed instead (a task that kills its worker must not loop).
TASK_HEARTBEAT_SECONDS = envint("TASK_HEARTBEAT_SECONDS", 15)
TASK_WORKER_TIMEOUT_SECONDS = envint("TASK_WORKER_TIMEOUT_SECONDS", 120)
TASK_MAX_RUN_SECONDS = envint("TASK_MAX_RUN_SECONDS", 3600)
TASK_MAX_ATTEMPTS = envint("TASK_MAX_ATTEMPTS", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
