"""Settings for the Takatsu Service Portal.

Everything that differs between a developer's laptop and the ward's server is read from an
environment variable through the small helpers below; a bad value raises
ImproperlyConfigured at start-up instead of misbehaving later. With no variables set, the
portal runs for development: SQLite in the project folder, tasks run in-process, mail to the
console.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def envlist(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY") or _DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "takatsu_portal.core.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The portal's apps come after django.contrib.auth: accounts replaces one of its signals.
    "takatsu_portal.accounts",
    "takatsu_portal.core",
    "takatsu_portal.reports",
    "takatsu_portal.plain_language",
    "takatsu_portal.compare.apps.CompareConfig",
    "plans",
    "feedback",
    # Barrier-free inspections: uses plans (proposals) and reads feedback (resident voices).
    "inspections",
    "bulletins",
    "training",
    # Demo data sits on top of every app (manage.py seed_demo).
    "demo",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Queries of an office's records in a request must be scoped (core/scoping.py).
    "takatsu_portal.core.scoping.OfficeScopeGuardMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "takatsu_portal.accounts.middleware.SessionTimeoutMiddleware",
    "takatsu_portal.accounts.middleware.CityReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "takatsu_portal.core.middleware.MethodNotAllowedMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

# "raise" (default): a query of an office's records in a request that no office scopes fails
# with UnscopedQueryError; "warn" logs it with its stack and goes on; "off" (core/scoping.py).
OFFICE_SCOPE_GUARD = env("OFFICE_SCOPE_GUARD", "raise")
if OFFICE_SCOPE_GUARD not in ("raise", "warn", "off"):
    raise ImproperlyConfigured(
        f"OFFICE_SCOPE_GUARD must be raise, warn or off, not {OFFICE_SCOPE_GUARD!r}"
    )

ROOT_URLCONF = "takatsu_portal.urls"
WSGI_APPLICATION = "takatsu_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "takatsu_portal.core.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL names another (PostgreSQL in
# production and in the test suite). Persistent connections: a new PostgreSQL connection per
# request costs about 4 ms on the ward's machines.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 600), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "takatsu_portal.accounts.backends.PortalModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Optional LDAP / Active Directory login (django-auth-ldap), on when LDAP_SERVER_URI is set.
LDAP_SERVER_URI = env("LDAP_SERVER_URI")
if LDAP_SERVER_URI:
    from takatsu_portal.accounts.ldap import ldap_settings

    globals().update(ldap_settings())
    AUTHENTICATION_BACKENDS.insert(1, "django_auth_ldap.backend.LDAPBackend")

# Login throttling (django-axes): keyed on the user name, never on the address alone, since
# every member of staff reaches the portal through the same office address.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_CLIENT_IP_CALLABLE = "takatsu_portal.core.client.client_address"
# axes.W006 warns that user-name-only lockout lets an attacker rotate user names; locking by
# address would lock out the whole ward office behind its one address, which is worse.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: they end after SESSION_IDLE_MINUTES without a request (the page warns two
# minutes before and offers to stay signed in) and after SESSION_MAX_HOURS in any case.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 10)
SESSION_WARNING_SECONDS = envint("SESSION_WARNING_SECONDS", 120)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers and HTTPS. Development over plain HTTP keeps cookies usable; with
# DEBUG=false every cookie is HTTPS-only and HSTS is on (SECURE_SSL_REDIRECT can be switched
# off when a reverse proxy already redirects).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind reverse proxies (BEHIND_PROXY), the scheme comes from X-Forwarded-Proto and the
# client's address from X-Forwarded-For, counting TRUSTED_PROXY_COUNT proxies from the right
# (core/client.py); otherwise both headers are ignored, since a client can write them.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if TRUSTED_PROXY_COUNT < 1:
        raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more with BEHIND_PROXY.")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True
# Dates as people type them in a date field (core.forms.DATE_WIDGET is a text field).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail (Django 6.1 MAILERS): the console in development; SMTP in production (EMAIL_HOST,
# default localhost) or whenever EMAIL_HOST is set. The variables keep the familiar names.
EMAIL_HOST = env("EMAIL_HOST", "" if DEBUG else "localhost")
if EMAIL_HOST:
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": envint("EMAIL_PORT", 25),
            "username": env("EMAIL_HOST_USER"),
            "password": env("EMAIL_HOST_PASSWORD"),
            "use_tls": envbool("EMAIL_USE_TLS", False),
            "use_ssl": envbool("EMAIL_USE_SSL", False),
            "timeout": envint("EMAIL_TIMEOUT", 10),
        },
    }
else:
    _mailer = {"BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
MAILERS = {"default": _mailer}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "takatsu-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. With no CELERY_BROKER_URL, tasks run in the calling process (same task code, no
# server needed): right for a first `make run`, never for production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 360)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds a report may take to render; past it a running job is taken for lost (its worker
# died or hung) and the sweep re-queues it. Queued jobs sent longer ago than
# REPORT_RESEND_AFTER seconds are sent again (a message lost with a Redis restart).
REPORT_JOB_TIMEOUT = envint("REPORT_JOB_TIMEOUT", 900)
REPORT_RESEND_AFTER = envint("REPORT_RESEND_AFTER", 1800)
# seed_demo renders one PDF of each report kind (a few seconds); false leaves them out.
DEMO_REPORTS = envbool("DEMO_REPORTS", True)
# Imports of spreadsheets (core/imports.py): seconds the worker may spend checking or writing
# one file, and the limits of a file of survey answers (projects keep core.tabular's 2 MB and
# 1,000 rows).
IMPORT_JOB_TIMEOUT = envint("IMPORT_JOB_TIMEOUT", 600)
RESPONSE_IMPORT_MAX_ROWS = envint("RESPONSE_IMPORT_MAX_ROWS", 20000)
RESPONSE_IMPORT_MAX_MB = envint("RESPONSE_IMPORT_MAX_MB", 10)
# A message not acknowledged within the visibility timeout goes back to the queue (acks_late
# tasks whose worker died): longer than the longest task, reports and imports included.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": max(
        CELERY_TASK_TIME_LIMIT, REPORT_JOB_TIMEOUT + 60, IMPORT_JOB_TIMEOUT + 60
    )
    * 2
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Every night just after midnight: apply the staff transfers (人事異動) effective that day.
    "apply-staff-transfers": {
        "task": "accounts.apply_staff_transfers",
        "schedule": crontab(hour=0, minute=5),
    },
    "clear-expired-sessions": {"task": "core.clear_expired_sessions", "schedule": 6 * 3600},
    # Every hour: delete the files of refused forms never attached (PENDING_UPLOAD_HOURS).
    "expire-pending-uploads": {"task": "core.expire_pending_uploads", "schedule": 3600},
    # Every morning at 8:00 (TIME_ZONE): remind leads of progress reports due or overdue.
    "progress-reminders": {
        "task": "plans.send_progress_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Every morning at 8:30 (working days): remind participants of the next working day's
    # training sessions (each session once: training.reminders).
    "training-reminders": {
        "task": "training.send_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # Every minute: send report jobs the broker never got, re-queue jobs stuck in "running".
    "report-sweep": {"task": "reports.sweep", "schedule": 60},
    # Every minute: fail import jobs a dead worker left checking or writing (the person retries)
    # and send again queued import jobs whose message was lost.
    "import-sweep": {"task": "core.import_sweep", "schedule": 60},
    # Every minute: publish the bulletin issues scheduled for now (an issue appears on time).
    "bulletin-publish-due": {"task": "bulletins.publish_due", "schedule": 60},
    # Every morning at 8:05: remind readers of required bulletin articles before and after
    # their confirm-by date.
    "bulletin-reminders": {
        "task": "bulletins.send_reminders",
        "schedule": crontab(hour=8, minute=5),
    },
    # Every night: blank the name and contact of resident voices past the retention period.
    # Every night: the plain-language audit's texts checked ahead of the first visit.
    "plain-language-audit": {
        "task": "plain_language.warm_audit",
        "schedule": crontab(hour=3, minute=0),
    },
    "purge-voice-personal-data": {
        "task": "feedback.purge_voice_personal_data",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Years a resident voice keeps the resident's name and contact (the voice itself stays).
VOICE_PERSONAL_DATA_YEARS = envint("VOICE_PERSONAL_DATA_YEARS", 5)
# Hours a file kept with a refused form (core.pending_uploads) waits for the corrected form
# before it is deleted.
PENDING_UPLOAD_HOURS = envint("PENDING_UPLOAD_HOURS", 24)
# Working days before a progress report's due date from which its lead is reminded.
PROGRESS_REMINDER_DAYS = envint("PROGRESS_REMINDER_DAYS", 5)
# Working days before a required bulletin article's confirm-by date from which its readers are
# reminded (and once more after the date).
BULLETIN_REMINDER_DAYS = envint("BULLETIN_REMINDER_DAYS", 3)

# Plain language (役所言葉 → 平易な言葉): the checker's thresholds. A sentence longer than
# MAX_SENTENCE_CHARS characters, a run of more than MAX_KANJI_RUN kanji and more than MAX_COMMAS
# 読点 in one sentence are findings; the EASY_ values apply to やさしい日本語 texts. RATE_LIMIT
# is the number of checks a user may ask for per minute (live check, page and API together).
PLAIN_LANGUAGE_MAX_SENTENCE_CHARS = envint("PLAIN_LANGUAGE_MAX_SENTENCE_CHARS", 60)
PLAIN_LANGUAGE_MAX_KANJI_RUN = envint("PLAIN_LANGUAGE_MAX_KANJI_RUN", 6)
PLAIN_LANGUAGE_MAX_COMMAS = envint("PLAIN_LANGUAGE_MAX_COMMAS", 3)
PLAIN_LANGUAGE_EASY_MAX_SENTENCE_CHARS = envint("PLAIN_LANGUAGE_EASY_MAX_SENTENCE_CHARS", 30)
PLAIN_LANGUAGE_EASY_MAX_KANJI_RUN = envint("PLAIN_LANGUAGE_EASY_MAX_KANJI_RUN", 3)
PLAIN_LANGUAGE_EASY_MAX_COMMAS = envint("PLAIN_LANGUAGE_EASY_MAX_COMMAS", 2)
PLAIN_LANGUAGE_RATE_LIMIT = envint("PLAIN_LANGUAGE_RATE_LIMIT", 60)
PLAIN_LANGUAGE_MAX_TEXT_CHARS = envint("PLAIN_LANGUAGE_MAX_TEXT_CHARS", 20000)

# Cache: Redis when CACHE_URL (or a redis:// CELERY_BROKER_URL) names one, so that every
# gunicorn process shares it (the public survey form's rate limit counts there); otherwise
# memory of the one process.
CACHE_URL = env("CACHE_URL", CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis://") else "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Seconds the home page's attention list of a user is kept in the cache at most (it is computed
# again at once after a change the services report; core/attention.py); 0: not cached.
ATTENTION_CACHE_SECONDS = envint("ATTENTION_CACHE_SECONDS", 600)

# Seconds a user's roles and permissions are kept in the cache at most (computed again at once
# after any change of roles or permissions; accounts/authcache.py); 0: not cached.
AUTH_CACHE_SECONDS = envint("AUTH_CACHE_SECONDS", 300)

# Seconds content shared by the people of an office (the progress board) is kept in the cache
# at most (rendered again at once after a change the services report; core/shared_cache.py).
SHARED_CACHE_SECONDS = envint("SHARED_CACHE_SECONDS", 300)

# The office this install shows by default (several wards may share one install).
PORTAL_NAME = env("PORTAL_NAME", "高津区役所サービスポータル")
# The portal's address as staff reach it, for links in e-mail.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The address residents use for the public survey pages (/s/<token>/), printed on the QR
# posters: usually a public host in front of the same portal, not the intranet address.
PORTAL_PUBLIC_BASE_URL = env("PORTAL_PUBLIC_BASE_URL", PORTAL_BASE_URL).rstrip("/")
CSRF_FAILURE_VIEW = "takatsu_portal.core.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
