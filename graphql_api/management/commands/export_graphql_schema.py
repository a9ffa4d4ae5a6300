"""Write the schema in SDL to graphql_api/schema.graphql, or check that the file is current."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from strawberry.printer import print_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent.parent / "schema.graphql"


def schema_sdl() -> str:
    from graphql_api.schema import schema

    return print_schema(schema) + "\n"


class Command(BaseCommand):
    help = "Regenerate graphql_api/schema.graphql from the code (--check: fail if it differs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail instead of writing when the file differs."
        )

    def handle(self, *args, check: bool = False, **options):
        sdl = schema_sdl()
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else None
        if check:
            if current != sdl:
                raise CommandError(
                    "graphql_api/schema.graphql is out of date: "
                    "run python manage.py export_graphql_schema"
                )
            self.stdout.write("graphql_api/schema.graphql is up to date.")
            return
        SCHEMA_FILE.write_text(sdl, encoding="utf-8")
        self.stdout.write(f"Wrote {SCHEMA_FILE}.")
