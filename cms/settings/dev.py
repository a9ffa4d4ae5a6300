"""Local development: debug on, a fixed throwaway key, every host allowed."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-civic-cms-development-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# GraphQL API: GraphiQL at /graphql/ and unmasked error messages while developing.
CIVIC_GRAPHQL_GRAPHIQL = True
CIVIC_GRAPHQL_MASK_ERRORS = False
