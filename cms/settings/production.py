"""Production: every secret comes from the environment and a missing one stops the start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

try:
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
except KeyError as missing:
    raise ImproperlyConfigured(
        f"Production settings need the environment variable {missing.args[0]}."
    ) from None

if not SECRET_KEY.strip():
    raise ImproperlyConfigured("Production settings need a non-empty SECRET_KEY.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production settings need at least one host in ALLOWED_HOSTS.")

# Every app server must read the one content generation that renews each answer: with
# several machines, that is a cache they share (REDIS_URL). The embedded cache is this
# machine's alone, so another machine's writes would never renew it: it is accepted only
# when CIVIC_SINGLE_HOST=true says this machine is the only one.
CIVIC_SINGLE_HOST = os.environ.get("CIVIC_SINGLE_HOST", "").lower() in ("1", "true", "yes")
if not os.environ.get("REDIS_URL") and not CIVIC_SINGLE_HOST:
    raise ImproperlyConfigured(
        "Production settings need REDIS_URL (a cache every app server shares), or "
        "CIVIC_SINGLE_HOST=true when this machine is the only one serving the CMS."
    )

# Schema discovery is off unless GRAPHQL_INTROSPECTION=true opens it, and so are the
# "Did you mean ...?" suggestions of error messages: the schema is published with the code
# (graphql_api/schema.graphql) for frontend developers and code generators.
CIVIC_GRAPHQL_INTROSPECTION = os.environ.get("GRAPHQL_INTROSPECTION", "false").lower() in (
    "1",
    "true",
    "yes",
)

# Persistent database connections: a new one costs each request about 2 ms on SQLite
# (open, settings, schema) and more on PostgreSQL. Checked before reuse (base.py), so a
# database restart needs no app restart. 0 opens one per request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405

CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

# The development account (admin / civic-admin, made by `manage.py create_dev_admin` in
# scripts/run) never signs in here: its password is in the README (cms/dev_account.py).
AUTHENTICATION_BACKENDS = ["cms.dev_account.RefuseDevelopmentLogin", *AUTHENTICATION_BACKENDS]  # noqa: F405

# GraphQL API: GraphiQL stays off unless GRAPHQL_GRAPHIQL=true; errors stay masked.
CIVIC_GRAPHQL_GRAPHIQL = os.environ.get("GRAPHQL_GRAPHIQL", "").lower() in ("1", "true", "yes")

# Contact form notifications go out by SMTP when EMAIL_HOST is set; without it they are
# written to the notification worker's output, and `manage.py check` warns (contact.W001).
# A mail server that stops answering fails a send after EMAIL_TIMEOUT seconds, and the
# worker tries it again later (contact.notifications).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() in ("1", "true", "yes")
    DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
