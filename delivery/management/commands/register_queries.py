"""Register GraphQL documents as persisted queries (the allowlist production can enforce)."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from graphql import GraphQLError, parse

from delivery.models import PersistedQuery


class Command(BaseCommand):
    help = (
        "Register each .graphql file as a persisted query and print its SHA-256; clients "
        "then send the hash instead of the text. With CIVIC_GRAPHQL_ALLOWLIST=1 only "
        "registered queries run."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help=".graphql files to register.")
        parser.add_argument(
            "--prune", action="store_true", help="Remove registered queries not in these files."
        )

    def handle(self, *args, files: list[Path], prune: bool, **options):
        kept = []
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{path}: cannot read it ({error}).") from error
            try:
                parse(text)
            except GraphQLError as error:
                where = f":{error.locations[0].line}" if error.locations else ""
                message = f"{path}{where}: not a GraphQL document ({error.message})."
                raise CommandError(message) from None
            digest = hashlib.sha256(text.encode()).hexdigest()
            PersistedQuery.objects.update_or_create(
                sha256=digest, defaults={"name": str(path), "query": text}
            )
            kept.append(digest)
            self.stdout.write(f"{digest}  {path}")
        if prune:
            removed, _ = PersistedQuery.objects.exclude(sha256__in=kept).delete()
            self.stdout.write(f"Removed {removed} queries not in these files.")
