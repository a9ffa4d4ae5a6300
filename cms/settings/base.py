"""Settings shared by every environment. No secrets and no DEBUG here."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "cms.apps.CmsConfig",
    "services.apps.ServicesConfig",
    "projects.apps.ProjectsConfig",
    "categories.apps.CategoriesConfig",
    "team.apps.TeamConfig",
    "generic.apps.GenericConfig",
    "sitewide.apps.SitewideConfig",
    "contact.apps.ContactConfig",
    "delivery.apps.DeliveryConfig",
    "importer.apps.ImporterConfig",
    "django_tasks",
    "django_tasks_db",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtailmarkdown",
    # Font Awesome's own package: the Markdown editor's icons, served by the CMS.
    "fontawesomefree",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.redirects.PublicRedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Embedded default: SQLite beside the project. DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A persistent connection is checked before each request reuses it, so the
        # app recovers by itself after a database restart.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The admin autosaves while an editor types and the webhook worker polls the
    # same file: wait for the lock instead of failing, and take write locks up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    )
    # Reads through memory-mapped I/O instead of a read() per page: a list that visits
    # thousands of rows (a count of 10,000 pages: 23 ms → 7 ms, docs/benchmarks/api.md)
    # spends its time in the kernel otherwise. 0 turns it off.
    _mmap = int(os.environ.get("CIVIC_SQLITE_MMAP_BYTES", str(256 * 1024 * 1024)))
    if _mmap:
        DATABASES["default"]["OPTIONS"]["init_command"] = f"PRAGMA mmap_size={_mmap}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Embedded default: SQLite files on disk (diskcache, in CIVIC_CACHE_DIR; cms/cache.py),
# shared by every process of one machine: the app server's workers, the task worker and
# management commands all see the same content generation (graphql_api.invalidation), so
# a change made by any of them reaches every worker at once. Bounded by
# CIVIC_CACHE_MAX_BYTES (256 MiB), the oldest entries going first. REDIS_URL switches to
# a Redis cache shared by several machines.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "civic"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.EmbeddedCache",
            "LOCATION": os.environ.get("CIVIC_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {
                "size_limit": int(os.environ.get("CIVIC_CACHE_MAX_BYTES", str(256 * 1024 * 1024)))
            },
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Spanish is the default; English and Catalan are offered too.
LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Spanish")),
    ("en", _("English")),
    ("ca", _("Catalan")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# A page submitted for translation stays a draft until its translator publishes it,
# so readers never see a half-translated page.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# A publish of a translation source updates what its translators work from at once: the
# changed texts wait for translation in every language (cms/translation_sync.py).
CIVIC_SYNC_TRANSLATIONS_ON_PUBLISH = True
TIME_ZONE = "Europe/Madrid"
USE_I18N = True
USE_TZ = True

STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# The CMS serves MEDIA_URL itself, files of private collections excepted (cms/media.py):
# on with the development settings; off where a server in front serves the files.
CIVIC_SERVE_MEDIA = os.environ.get("CIVIC_SERVE_MEDIA", "").lower() in ("1", "true", "yes")
# Files visitors send through contact forms: outside MEDIA_ROOT, never served publicly
# (staff download them from the admin); stored under random names.
CIVIC_PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("CIVIC_PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private-media")
)
CIVIC_CONTACT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Submissions accepted per client address and hour (0: no limit).
CIVIC_CONTACT_RATE_PER_HOUR = int(os.environ.get("CIVIC_CONTACT_RATE_PER_HOUR", "10"))
# Where submissions are announced when a form names no address ("" sends nothing).
CIVIC_CONTACT_EMAIL = os.environ.get("CIVIC_CONTACT_EMAIL", "")
# A notification the mail server fails is tried again after 1, 2, 4, 8... minutes (capped
# at an hour), this many times in all (contact.notifications).
CIVIC_CONTACT_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("CIVIC_CONTACT_NOTIFY_MAX_ATTEMPTS", "6"))
CIVIC_CONTACT_NOTIFY_BACKOFF_SECONDS = 60
CIVIC_CONTACT_NOTIFY_BACKOFF_MAX_SECONDS = 3600
# How many proxies stand in front of the CMS (load balancer, nginx, CDN), each adding the
# address it was reached from to X-Forwarded-For: the visitor's address is read that many
# entries from the right, where no visitor can write (contact.models.client_address).
# 0: the connection's own address, X-Forwarded-For ignored.
CIVIC_TRUSTED_PROXIES = int(os.environ.get("CIVIC_TRUSTED_PROXIES", "0"))
# The importer's journal of media files being written (and its one-import-at-a-time lock):
# a local file of the machine that runs `manage.py import_jekyll`, never served.
CIVIC_IMPORT_JOURNAL = Path(
    os.environ.get("CIVIC_IMPORT_JOURNAL", BASE_DIR / "var" / "import-journal")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Civic CMS"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "INDEX_PREFIX": os.environ.get("SEARCH_INDEX_PREFIX", ""),
    }
}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg", "avif"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# The admin asks no other site for anything: no Gravatar pictures (the initials stand in)
# and no check for new Wagtail releases (operators upgrade through pyproject.toml).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Markdown: wagtail-markdown renders and nh3 sanitises. The page-title linker
# of wagtail-markdown looks pages up by title without checking that they are
# live, so it is left out; links are plain Markdown links. The sanitiser
# allowlist is narrowed: no style, id or class on every tag, only safe schemes.
WAGTAILMARKDOWN = {
    # The editor's icons are served by the CMS (fontawesomefree, cms/wagtail_hooks.py).
    "autodownload_fontawesome": False,
    "extensions_settings_mode": "override",
    "extensions": ["extra", "sane_lists"],
    "extension_configs": {},
    "allowed_settings_mode": "override",
    "allowed_tags": [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "code",
        "em",
        "strong",
        "del",
        "ins",
        "sup",
        "sub",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "blockquote",
        "hr",
        "br",
        "abbr",
    ],
    "allowed_attributes": {
        "a": ["href", "title"],
        "img": ["src", "alt", "title"],
        "abbr": ["title"],
        "th": ["rowspan", "colspan", "scope"],
        "td": ["rowspan", "colspan"],
        "ol": ["start"],
    },
    "allowed_styles": [],
    "link_rel": "noopener noreferrer",
}

# Video providers a video block accepts; the player URL is derived offline
CIVIC_VIDEO_PROVIDERS = ["youtube", "vimeo"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own console handler would print each of its messages a second time.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
# PeerTube instances whose videos may be embedded (the source site uses one).
CIVIC_PEERTUBE_HOSTS = ["videos.laguixeta.cat"]

# ---------------------------------------------------------------------------
# GraphQL API (graphql_api/, served at /graphql/; see docs/GRAPHQL.md)
# ---------------------------------------------------------------------------
INSTALLED_APPS = [*INSTALLED_APPS, "graphql_api.apps.GraphQLApiConfig"]

# GraphiQL is off unless an environment enables it (dev.py turns it on).
CIVIC_GRAPHQL_GRAPHIQL = False
# Introspection (schema discovery, used by GraphiQL and code generators).
CIVIC_GRAPHQL_INTROSPECTION = os.environ.get("GRAPHQL_INTROSPECTION", "true").lower() in (
    "1",
    "true",
    "yes",
)
# Unexpected errors reach clients as "Unexpected error." (dev.py shows them).
CIVIC_GRAPHQL_MASK_ERRORS = True
# Limits: nesting depth, aliases per operation (fragments included), tokens per document.
CIVIC_GRAPHQL_MAX_DEPTH = 12
CIVIC_GRAPHQL_MAX_ALIASES = 15
CIVIC_GRAPHQL_MAX_TOKENS = 2000
# List sizes: `first` defaults to 20 and may not exceed 50.
CIVIC_GRAPHQL_DEFAULT_PAGE_SIZE = 20
CIVIC_GRAPHQL_MAX_PAGE_SIZE = 50
CIVIC_GRAPHQL_MAX_SEARCH_RESULTS = 50
# With `fallback: true`, a missing translation is replaced by the first available
# language of its chain. A language without a chain falls back to LANGUAGE_CODE.
CIVIC_LANGUAGE_FALLBACKS = {"ca": ["es", "en"], "en": ["es"], "es": ["en"]}

# Background tasks (django-tasks). Wagtail's own small tasks run in the request;
# webhook deliveries, image renditions and contact form notifications go to queues:
# database-backed by default, each with its worker (`manage.py db_worker --backend webhooks
# --queue-name webhooks`, `manage.py db_worker --backend media --queue-name renditions` and
# `manage.py db_worker --backend notifications --queue-name notifications`), Redis (RQ)
# with CIVIC_TASK_QUEUE=redis and REDIS_URL (`manage.py rqworker webhooks renditions
# notifications --with-scheduler`).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["webhooks"],
    },
    "media": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["renditions"],
    },
    "notifications": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["notifications"],
    },
}
if os.environ.get("CIVIC_TASK_QUEUE") == "redis" and os.environ.get("REDIS_URL"):
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {
        "webhooks": {"URL": os.environ["REDIS_URL"]},
        "renditions": {"URL": os.environ["REDIS_URL"]},
        "notifications": {"URL": os.environ["REDIS_URL"]},
    }
    TASKS["webhooks"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["webhooks"]}
    TASKS["media"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["renditions"]}
    TASKS["notifications"] = {
        "BACKEND": "django_tasks_rq.RQBackend",
        "QUEUES": ["notifications"],
    }
# The public site (the reference frontend, or any decoupled one): FRONTEND_SITE_URL, the
# one address scripts/run and scripts/frontend read too. Previews open there (a per-site
# setting in the admin overrides it; CIVIC_FRONTEND_URL too), and it is the origin CORS
# allows by default. How long a preview link works.
FRONTEND_SITE_URL = os.environ.get("FRONTEND_SITE_URL", "http://127.0.0.1:3000").rstrip("/")
CIVIC_FRONTEND_URL = os.environ.get("CIVIC_FRONTEND_URL", FRONTEND_SITE_URL)
# Where the API says media files live (e.g. https://cdn.example.org): every image,
# rendition and media URL the GraphQL API gives is this base + the file's /media/ path.
# Empty: absolute on the CMS's own origin, as the request reached it.
CIVIC_MEDIA_BASE_URL = os.environ.get("CIVIC_MEDIA_BASE_URL", "")
CIVIC_PREVIEW_TOKEN_SECONDS = int(os.environ.get("CIVIC_PREVIEW_TOKEN_SECONDS", "3600"))
# GraphQL delivery: the shared response cache (seconds; 0 turns it off), the HTTP
# caching of GET responses, persisted queries, and the allowlist of registered
# queries (production can refuse every other query).
CIVIC_GRAPHQL_CACHE_SECONDS = int(os.environ.get("CIVIC_GRAPHQL_CACHE_SECONDS", "600"))
CIVIC_GRAPHQL_HTTP_MAX_AGE = int(os.environ.get("CIVIC_GRAPHQL_HTTP_MAX_AGE", "30"))
CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE = int(
    os.environ.get("CIVIC_GRAPHQL_HTTP_STALE_WHILE_REVALIDATE", "30")
)
CIVIC_APQ_TTL_SECONDS = 86400
# A CDN or reverse proxy in front: Wagtail purges the URLs of published and
# unpublished pages. CIVIC_CDN_PURGE_URL for an HTTP PURGE cache (Varnish, Fastly,
# nginx), or CLOUDFLARE_ZONEID with CLOUDFLARE_BEARER_TOKEN.
if os.environ.get("CIVIC_CDN_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["CIVIC_CDN_PURGE_URL"],
        }
    }
elif os.environ.get("CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": os.environ["CLOUDFLARE_ZONEID"],
            "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
        }
    }
CIVIC_GRAPHQL_ALLOWLIST = os.environ.get("CIVIC_GRAPHQL_ALLOWLIST", "") == "1"
CIVIC_WEBHOOK_TIMEOUT_SECONDS = 10
CIVIC_WEBHOOK_MAX_ATTEMPTS = 6
CIVIC_WEBHOOK_BACKOFF_SECONDS = 30
CIVIC_WEBHOOK_BACKOFF_MAX_SECONDS = 3600
# Webhooks are never sent to this network's own addresses (loopback, private, link-local,
# cloud metadata: delivery/outbound.py); CIVIC_WEBHOOK_ALLOW_INTERNAL=1 allows them, for
# local development (scripts/run, a frontend on 127.0.0.1).
CIVIC_WEBHOOK_ALLOW_INTERNAL = os.environ.get("CIVIC_WEBHOOK_ALLOW_INTERNAL", "").lower() in (
    "1",
    "true",
    "yes",
)

# ---------------------------------------------------------------------------
# CORS for decoupled frontends (frontend/, docs/FRONTEND.md). Only /graphql/
# answers cross-origin requests, only from the listed origins (comma-separated
# in CIVIC_CORS_ALLOWED_ORIGINS; the default is the public site's origin, from
# FRONTEND_SITE_URL). The API is public and read-only and takes no cookies,
# so credentials are never allowed.
# ---------------------------------------------------------------------------
INSTALLED_APPS = [*INSTALLED_APPS, "corsheaders"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]
CORS_ALLOWED_ORIGINS = [
    origin.strip().rstrip("/")
    for origin in os.environ.get(
        "CIVIC_CORS_ALLOWED_ORIGINS", "{0.scheme}://{0.netloc}".format(urlsplit(FRONTEND_SITE_URL))
    ).split(",")
    if origin.strip()
]
CORS_URLS_REGEX = r"^/graphql/?$"
CORS_ALLOW_CREDENTIALS = False
# End of the CORS block.

# ---------------------------------------------------------------------------
# Admin sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins from one
# address, that address is refused (429) for AXES_COOLOFF_TIME, each failure meanwhile
# starting the wait again; a successful sign-in clears its count. The address is the one
# the contact forms' limit counts by (contact.models.client_address: CIVIC_TRUSTED_PROXIES
# applies). Sessions opened without a password (a test's force_login) are not concerned.
# ---------------------------------------------------------------------------
INSTALLED_APPS = [*INSTALLED_APPS, "axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Last: it turns a refused sign-in into the lockout answer.
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "contact.models.client_address"
