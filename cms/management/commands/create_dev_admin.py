"""Create the development-only admin account; refuses to run outside DEBUG (and production
settings refuse its password: cms.dev_account)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.dev_account import PASSWORD, USERNAME


class Command(BaseCommand):
    help = "Create the admin/civic-admin superuser for local development (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("create_dev_admin only runs with DEBUG on (development settings).")
        user_model = get_user_model()
        if not user_model.objects.filter(username=USERNAME).exists():
            user_model.objects.create_superuser(USERNAME, "admin@example.org", PASSWORD)
        self.stdout.write(f"Development login: {USERNAME} / {PASSWORD}")
