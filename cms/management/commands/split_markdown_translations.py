"""Give the Markdown segments (a line of a block element each) the translations kept of
whole Markdown texts, and say what still waits for translation."""

from django.core.management.base import BaseCommand
from wagtail.models import Locale

from cms.translation_memory import split_whole_translations


class Command(BaseCommand):
    help = (
        "Re-extract every translation source's segments (Markdown by line of its block "
        "elements) and give each new segment the matching line of the whole translation "
        "kept at its place; lists, per object and language, what was given and what still "
        "waits for translation. Safe to run again."
    )

    def handle(self, *args, **options):
        results = split_whole_translations()
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        for result in results:
            self.stdout.write(
                f"{result.source.object_repr} ({codes[result.locale_id]}): "
                f"{result.given} segments given their translation, "
                f"{result.untranslated} to translate"
            )
        given = sum(result.given for result in results)
        waiting = sum(result.untranslated for result in results)
        self.stdout.write(f"{given} segments given their translation; {waiting} need translation.")
