"""Remove expired preview snapshots (also done whenever a preview is issued)."""

from django.core.management.base import BaseCommand

from delivery.models import PreviewSnapshot


class Command(BaseCommand):
    help = "Delete preview snapshots whose links have expired."

    def handle(self, *args, **options):
        removed = PreviewSnapshot.remove_expired()
        self.stdout.write(f"Removed {removed} expired preview snapshots.")
