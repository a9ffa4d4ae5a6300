"""The development account, ``admin`` / ``civic-admin``: made by ``manage.py
create_dev_admin`` (scripts/run), printed by scripts/run and written in the README, so it
never signs in under production settings."""

import logging

from django.core.exceptions import PermissionDenied

USERNAME = "admin"
PASSWORD = "civic-admin"  # noqa: S105 - public on purpose: development only

logger = logging.getLogger(__name__)


class RefuseDevelopmentLogin:
    """An authentication backend that refuses the development password, whoever gives it
    (production settings list it before the others)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password != PASSWORD:
            return None  # the next backend decides
        logger.warning(
            "Refused a sign-in as %r with the development password: production settings "
            "never accept it. Give the account a password of its own "
            "(manage.py changepassword %s).",
            username,
            username,
        )
        # Django stops at this backend and counts a failed sign-in (django-axes too).
        raise PermissionDenied

    def get_user(self, user_id):
        return None
