"""Django's loaddata, renewing the public caches once when the fixtures are in.

A fixture's rows are saved raw: each asks for a renewal (graphql_api.invalidation), held
until the load ends, so loading content is public at once, with one renewal.
"""

from django.core.management.commands.loaddata import Command as LoadData

from graphql_api.invalidation import held_renewals


class Command(LoadData):
    def handle(self, *fixture_labels, **options):
        with held_renewals():
            return super().handle(*fixture_labels, **options)
