"""Local development: debug on, a fixed throwaway key, every host allowed."""

import os

from .base import *  # noqa: F403

DEBUG = True
# Media files served by the CMS, those of private collections excepted (cms/media.py).
CIVIC_SERVE_MEDIA = True
SECRET_KEY = "django-insecure-civic-cms-development-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# Emails (contact form notifications) are printed; CIVIC_EMAIL_DIR writes them to files
# instead (the end-to-end tests read them there).
if os.environ.get("CIVIC_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["CIVIC_EMAIL_DIR"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Where contact forms without an address of their own announce submissions.
CIVIC_CONTACT_EMAIL = os.environ.get("CIVIC_CONTACT_EMAIL", "contacto@example.org")

# GraphQL API: GraphiQL at /graphql/ and unmasked error messages while developing.
CIVIC_GRAPHQL_GRAPHIQL = True
CIVIC_GRAPHQL_MASK_ERRORS = False
