"""Settings for madoguchi, read from the environment with safe defaults.

DEBUG is off unless set; with DEBUG off a SECRET_KEY must be given. See README "Production".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    """Read a yes/no variable; anything unrecognised is an error, not a silent False."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=()):
    """Read a comma-separated list."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with the site that asks staff for a second factor.
    "directory.apps.DirectoryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "import_export",
    "simple_history",
    # django-axes and django-otp's devices, under names in the staff's language.
    "directory.apps.AxesConfig",
    "django_otp",
    "directory.apps.AuthenticatorAppsConfig",
    "directory.apps.RecoveryCodesConfig",
    "csp",
    # Its form errors in the admin's languages.
    "phonenumber_field",
    "directory",
]

MIDDLEWARE = [
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sets the language cookie on cached pages too, each visitor's own (see its docstring).
    "config.middleware.LanguageCookieMiddleware",
    # Before anything that may look the request's text up in the database or the cache.
    "config.middleware.RefuseNullCharacterMiddleware",
    # Before everything a cached public page does not need (see its docstring).
    "directory.page_cache.DirectoryPageCacheMiddleware",
    # Inside the page cache, which then keeps each page compressed (see its docstring).
    "config.middleware.PublicPageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Its response after LocaleMiddleware's (see its docstring).
    "config.middleware.LanguageVariantRedirectMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware, so a moved city page keeps its language (see its docstring).
    "directory.middleware.MovedCityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.AdminLanguageMiddleware",
    # Tells which device, if any, verified this session's user (directory.twofactor).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.page_cache.context",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Pages and pieces of pages are keyed by the directory's version, kept in the database, so no
# worker or node serves one older than a change. With REDIS_URL, Redis, shared by every node;
# django-redis treats an outage as a miss (short timeouts, each failure logged), never an error.
# Without it, files every worker on the machine shares: no query, unlike the database cache, and
# a deploy's `migrate` gives the directory a new version, so files from the release before are
# not served. With DEBUG on (`make run`) nothing is cached, so an edited template shows at once.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.05"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # Redis answers in well under a millisecond: a page makes a few dozen calls,
                # each of which waits this long for a Redis that hangs.
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", BASE_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# Whole public pages (directory.page_cache) and their pieces ({% cache %}, using=pieces_cache) are
# kept in each worker's own memory, keyed by the directory's version read from the shared cache
# above: every worker still serves a change on its next request, and a page or piece served
# from memory costs no round trip to Redis. At most PAGE_CACHE_ENTRIES entries a worker (two a
# page: Django keeps its headers apart).
if DEBUG:
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "5000"))},
    }
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# Imports (directory.importexport): a file over IMPORT_MAX_BYTES is refused by its size before it
# is read, and one with more than IMPORT_MAX_ROWS rows under its header is read no further.
# The row limit is what an import finishes inside the time-out (bench/import_bench.py checks
# it), and far above the directory's few thousand records.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 2**20)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "100000"))

# Sessions live in the database: every node sees them, and they outlast a Redis restart.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

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

# Two-factor sign-in (directory.twofactor): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = "madoguchi"

LANGUAGE_CODE = "en"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# Our catalogues, then corrections to some of Django's own (locale_django/), both read before
# Django's.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Date formats for the languages where Django has none, or none we want (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
# The public site speaks the languages of the largest groups of foreign residents in Japan, plus
# Easy Japanese (yasashii nihongo), and Chinese in traditional characters too, as Taiwan and
# Hong Kong write it (zh-TW and zh-HK browsers get it).
LANGUAGES = [
    ("en", "English"),
    ("ja", "Japanese"),
    ("ja-easy", "Easy Japanese"),
    ("zh-hans", "Simplified Chinese"),
    ("zh-hant", "Traditional Chinese"),
    ("vi", "Vietnamese"),
    ("ko", "Korean"),
    ("fil", "Filipino"),
    ("pt-br", "Brazilian Portuguese"),
    ("ne", "Nepali"),
    ("id", "Indonesian"),
    ("my", "Burmese"),
]
# The admin, and e-mail to staff, speak Japanese and English: a staff member's saved choice
# (directory.models.StaffProfile), otherwise the browser's; e-mail without a choice is Japanese.
ADMIN_LANGUAGES = ["ja", "en"]
# Django knows neither Easy Japanese (catalogue in locale/ja_Easy) nor Filipino; browsers that
# ask for Tagalog get Filipino. Older Android phones ask for Filipino and Indonesian by Java's
# old codes, with their country (tl-PH, in-ID): Django looks a fallback up by the whole code.
# Cantonese readers read Traditional Chinese in Hong Kong, Simplified in Guangdong.
# The switcher names each language in itself (Django's Vietnamese name is in decomposed form;
# this one is NFC, as the rest of the page).
LANG_INFO.update(
    {
        "ja-easy": {
            "bidi": False,
            "code": "ja-easy",
            "name": "Easy Japanese",
            "name_local": "やさしい にほんご",
        },
        "fil": {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"},
        **dict.fromkeys(("tl", "tl-ph"), {"fallback": ["fil"]}),
        **dict.fromkeys(("in", "in-id"), {"fallback": ["id"]}),
        **dict.fromkeys(("yue", "yue-hk", "yue-hant", "yue-hant-hk"), {"fallback": ["zh-hant"]}),
        **dict.fromkeys(("yue-cn", "yue-hans", "yue-hans-cn"), {"fallback": ["zh-hans"]}),
        "pt-br": {**LANG_INFO["pt-br"], "name_local": "Português (Brasil)"},
        "vi": {**LANG_INFO["vi"], "name_local": "Tiếng Việt"},
    }
)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# HTTPS everywhere outside development; SECURE_SSL_REDIRECT can be turned off behind a proxy
# that redirects already, or for plain-HTTP runs on loopback.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer probes over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Cookies stay Secure even on a plain-HTTP run on loopback: browsers treat http://127.0.0.1 and
# http://localhost as secure origins and keep and send Secure cookies there.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Django's defaults send the rest: nosniff, Referrer-Policy and Cross-Origin-Opener-Policy
# "same-origin", X-Frame-Options DENY, and HttpOnly session cookies.
# Features no page of the site uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
]

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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# How many reverse proxies of our own sit in front of the site and append to X-Forwarded-For;
# 0 trusts no such header. The visitor's address (directory.limits.client_ip) is what problem
# reports and failed sign-ins are limited by.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# The link checker connects only to public internet addresses. Tests list their local servers
# here ("127.0.0.1:8123", "[::1]:8123" or a bare address); production never sets it.
LINKCHECK_ALLOWED_ADDRESSES = []

# E-mail to staff (directory.notifications): SMTP when EMAIL_HOST is set, otherwise each message
# is written to stdout (the console backend), so a machine without a mail server loses nothing
# silently and sends nothing by accident. STARTTLS on port 587 unless told otherwise.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
# A visitor's report is mailed during their request: a mail server that hangs costs them at most
# this many seconds, and the report is kept whatever happens.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "madoguchi <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The site's own address, for absolute links in e-mail (no request to take it from in cron).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}")

# The licence the open data downloads are offered under, named on the About page and in the
# README: a name and the address of its text. The project's choice; the default is CC BY 4.0.
OPEN_DATA_LICENCE = {
    "name": os.environ.get("OPEN_DATA_LICENCE_NAME", "CC BY 4.0"),
    "url": os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}

# Problem reports from one address per hour, counted in the database (every worker and node).
PROBLEM_REPORTS_PER_HOUR = int(os.environ.get("PROBLEM_REPORTS_PER_HOUR", "10"))

# Sign-in lockout (django-axes, directory.signin_lockout): a few wrong passwords lock that
# account from every address; an address, which a whole office may share, only after many.
# Failures expire LOGIN_LOCKOUT_MINUTES after the latest; tries during a lockout are refused
# without being counted, so they do not make it longer.
AXES_HANDLER = "directory.signin_lockout.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "60")))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "directory.limits.client_ip"
AXES_LOCKOUT_CALLABLE = "directory.signin_lockout.lockout_response"
AXES_VERBOSE = False
# axes.W006 asks for "ip_address" in AXES_LOCKOUT_PARAMETERS, where it would lock a whole
# office's address at the account's limit; the address has its own limit in our handler.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# One stream, stdout. gunicorn's access log writes the one line per request (status and
# duration); Django's request logger is kept to server errors so a 404 is not logged twice.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "one_line": {
            "()": "config.log_format.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
        "console_one_line": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "one_line",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # httpx logs every request at INFO: the link checker reports its own results.
        "httpx": {"level": "WARNING"},
        # Each cache call given up while Redis is away, on a line of its own.
        "django_redis": {"handlers": ["console_one_line"], "propagate": False},
    },
}
