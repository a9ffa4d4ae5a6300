"""The API benchmark (scripts/bench_api.py): production-like, plus what it measures with.

Never used to serve the site. It adds, in ``cms.bench``: Wagtail's own REST API (its
``pages`` endpoint), a static copy of a GraphQL answer, a header that counts the SQL
queries of each request, and ``POST /bench/change/``, which publishes a page again so the
next request is cold. Everything else is the production configuration.
"""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "civic-cms-benchmark-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "cms.bench"
INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework", "wagtail.api.v2"]  # noqa: F405
# Outermost, so it counts the queries of every middleware too.
MIDDLEWARE = ["cms.bench.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
# As in production (cms/settings/production.py): persistent database connections.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405
CIVIC_GRAPHQL_CACHE_SECONDS = int(os.environ.get("CIVIC_GRAPHQL_CACHE_SECONDS", "600"))
CIVIC_BENCH_STATIC_DIR = os.environ.get("CIVIC_BENCH_STATIC_DIR", "")
WAGTAILAPI_BASE_URL = "http://127.0.0.1"
LOGGING = {"version": 1, "disable_existing_loggers": False}
