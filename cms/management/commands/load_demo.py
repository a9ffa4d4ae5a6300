"""Load the demo content through the Jekyll importer; safe to run any number of times."""

from django.core.management.base import BaseCommand, CommandError

from cms.demo import load_demo
from importer.run import ImportFailure


class Command(BaseCommand):
    help = (
        'Import the demo content in Spanish, English and Catalan: the "Crowdfunding cívico" '
        "service, a project, two team members, project states and a category."
    )

    def handle(self, *args, **options):
        try:
            page = load_demo()
        except ImportFailure as exc:
            raise CommandError(str(exc)) from None
        translations = ", ".join(
            f"{p.locale.language_code}: {p.url}" for p in page.get_translations(inclusive=True)
        )
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({translations})."))
