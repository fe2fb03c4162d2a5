"""Settings for Declaration Watch.

Every setting that differs between a laptop and production is read from an environment variable,
through the small helpers below, which refuse a value they cannot understand instead of guessing.
The README lists the variables.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# In development a fixed, obviously insecure key is fine; anywhere else the key comes from the
# environment and must look like a real secret.
_DEV_SECRET_KEY = "django-insecure-declaration-watch-development-only"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters, not one "
        'starting with "django-insecure", when DJANGO_DEBUG is off. Generate one with: '
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "csp",
    "axes",
    "declaration_site",
    "signatories",
    "prisoners",
]

MIDDLEWARE = [
    # Anonymous visitors' pages from the cache, first: a page is kept with every header the
    # middleware below gave it (security, Content-Security-Policy, Cache-Control, ETag), so
    # that a hit skips them all, and the view.
    "declaration_site.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, its headers built once (see the middleware).
    "declaration_site.middleware.PolicyOnceCSPMiddleware",
    "declaration_site.middleware.BrowsableApiPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control, ETag and 304s for every response the site renders.
    "declaration_site.http.HttpCachingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address: English unprefixed, French under /fr/ (the page
    # cache keys on the full address, so each language is cached apart); the admin follows
    # the browser's language.
    "declaration_site.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees every failed login before the response goes out.
    "axes.middleware.AxesMiddleware",
    # Turns "the database is unreachable" into a 503 page instead of a server error.
    "declaration_site.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "declaration_site.urls"
WSGI_APPLICATION = "declaration_site.wsgi.application"

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

# Unset means a local SQLite file, which is what `make run` uses. Production uses PostgreSQL:
# DATABASE_URL=postgres://user:password@host:5432/declarations
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database server answers "unavailable" within seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
    )
    # The record is small enough to live in memory or on an SSD, where reading a page out of
    # order costs about what reading the next one does. With PostgreSQL's default of 4 (a
    # spinning disk's), the planner reads every declaration's text for a search rather than
    # its trigram indexes: 87 ms instead of 2 ms at ten times PACE's size. A DATABASE_URL
    # that gives its own `options` keeps them.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c random_page_cost=1.1")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes counts failed logins first, then Django checks the password.
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

# PACE publishes every declaration in English and French; so does the site (see urls.py).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as PACE prints them: "4 October 2019", "4 octobre 2019".
FORMAT_MODULE_PATH = ["declaration_site.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed file names need `collectstatic` first; development and the test suite
# serve the files as they are.
_STATIC_BACKEND = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_BACKEND},
}

# Country names as the Parliamentary Assembly prints them, in English and (through the
# catalogue in locale/) in French.
COUNTRIES_OVERRIDE = {
    "CZ": _("Czech Republic"),
    "GB": _("United Kingdom"),
    "MD": _("Republic of Moldova"),
    "RU": _("Russian Federation"),
    "SK": _("Slovak Republic"),
}

SIMPLE_HISTORY_REVERT_DISABLED = False


def env_cache(name, default="locmem://"):
    """A cache backend from a URL: `locmem://` (each process its own), `dummy://` (none),
    `redis://host:6379/1` (or `rediss://`, `redis://:password@host:6379/1`; shared by every
    process and server that names it), `memcached://host:11211` (needs `pymemcache`),
    `file:///path/to/dir`.

    Redis goes through `lib.cache.ForgivingRedisCache`: when it does not answer, pages come
    from the database instead of failing. It is given up on after 1 s to connect and 2 s to
    answer; the URL can say otherwise (`redis://host:6379/1?socket_timeout=5`)."""
    url = env_str(name, default).strip() or default
    scheme, _, rest = url.partition("://")
    backends = {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "dummy": "django.core.cache.backends.dummy.DummyCache",
        "redis": "declaration_site.lib.cache.ForgivingRedisCache",
        "rediss": "declaration_site.lib.cache.ForgivingRedisCache",
        "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
        "file": "django.core.cache.backends.filebased.FileBasedCache",
    }
    if scheme not in backends or (scheme in {"memcached", "file"} and not rest):
        raise ImproperlyConfigured(
            f"{name} must be locmem://, dummy://, redis://..., memcached://host:port or "
            f"file:///directory, not {url!r}."
        )
    config = {"BACKEND": backends[scheme], "KEY_PREFIX": "dw"}
    if scheme in {"redis", "rediss"}:
        config["LOCATION"] = url
        config["OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 2}
    elif scheme == "memcached":
        config["LOCATION"] = rest
    elif scheme == "file":
        config["LOCATION"] = "/" + rest.lstrip("/")
    elif scheme == "locmem":
        config["OPTIONS"] = {"MAX_ENTRIES": 1000}
    return config


# The cache of anonymous visitors' pages (declaration_site/caching.py), emptied by any curator's
# change. Local memory by default; a shared cache when several servers run: with
# DJANGO_CACHE_URL=redis://host:6379/1 every worker of every server shares the pages, the
# memoised totals and the generation that a change starts (lib/cache.py). Sessions stay in the
# database, which every server shares too.
CACHES = {"default": env_cache("DJANGO_CACHE_URL")}
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 300)
# A response larger than this (the Popolo document) is not kept in the page cache.
PAGE_CACHE_MAX_BYTES = env_int("DJANGO_PAGE_CACHE_MAX_BYTES", 256 * 1024)
# What browsers, proxies and CDNs may keep of the public pages (declaration_site/http.py): fresh
# for HTTP_MAX_AGE seconds, then served while a new copy is fetched for HTTP_STALE_SECONDS more,
# so that a change shows everywhere within a minute.
HTTP_MAX_AGE = env_int("DJANGO_HTTP_MAX_AGE", 30)
HTTP_STALE_SECONDS = env_int("DJANGO_HTTP_STALE_SECONDS", 30)
# Totals and filter choices, kept until the next change or for this long.
MEMO_CACHE_SECONDS = env_int("DJANGO_MEMO_CACHE_SECONDS", 3600)

# The site's public address, for the links of what is built outside a request (the Popolo
# document, the sitemap): scheme and host, no trailing slash.
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")) or "/" in SITE_URL.split("://", 1)[1]:
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL must be a scheme and a host, e.g. https://declarations.example.org, "
        f"not {SITE_URL!r}."
    )
# Exports built outside the request (declaration_site/lib/exports.py): where their files live
# (by default one folder per database, so that a bench database's files never serve the demo),
# whether a background thread builds them (off: the request that finds them out of date does),
# how long it waits for more changes, and how long a first request waits for a first build.
EXPORT_DIR = Path(
    env_str("DJANGO_EXPORT_DIR")
    or BASE_DIR / "var" / "exports" / Path(str(DATABASES["default"]["NAME"])).stem
)
EXPORT_BACKGROUND = env_bool("DJANGO_EXPORT_BACKGROUND", True)
EXPORT_DEBOUNCE_SECONDS = env_int("DJANGO_EXPORT_DEBOUNCE_SECONDS", 2)
EXPORT_FIRST_BUILD_WAIT = env_int("DJANGO_EXPORT_FIRST_BUILD_WAIT", 5)

# The read-only JSON API under /api/.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "declaration_site.lib.paging.CountedPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["declaration_site.lib.paging.ListedFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Declaration Watch API",
    "DESCRIPTION": (
        "Read-only access to the public record: declarations, their signatures with the country "
        "and political group as of signing, signatories, political groups, countries and the "
        "detainees the declarations name. Only published records are served."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# A load balancer probes the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): everything from this site, no inline script anywhere.
# Style attributes are allowed because the API's browsable pages use a few; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The admin's address; moving it away from /admin/ keeps casual scanners off the login page.
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or "//" in ADMIN_URL:
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must be a path such as 'curation/' ending with '/' and not starting "
        f"with one, not {ADMIN_URL!r}."
    )

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from
# one address, that pair is locked out for AXES_COOLOFF_TIME hours. Lockouts are logged.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DJANGO_AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No "AXES: BEGIN version ..." banner each time a process starts; lockouts are still logged.
AXES_VERBOSE = False
# Behind DJANGO_PROXY_COUNT proxies, the client's address is the one the outermost proxy
# appended to X-Forwarded-For; without proxies it is the connection's.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "declaration_site.security.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own loggers pass their records up to the root's handler, rather than printing
    # them a second time through Django's default console handler (under DJANGO_DEBUG).
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
