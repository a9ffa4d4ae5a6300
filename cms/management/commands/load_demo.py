"""Load the demo content; safe to run any number of times."""

from django.core.management.base import BaseCommand

from cms.demo import load_demo


class Command(BaseCommand):
    help = 'Create the demo "Crowdfunding cívico" service page in Spanish and English.'

    def handle(self, *args, **options):
        page = load_demo()
        translations = ", ".join(
            f"{p.locale.language_code}: {p.url}" for p in page.get_translations(inclusive=True)
        )
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({translations})."))
