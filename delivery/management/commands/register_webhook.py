"""Register (or update) a publish-webhook endpoint from the command line.

    python manage.py register_webhook https://www.example.org/__hooks/publish \
        --name "Static site" --secret-file /run/secrets/frontend-webhook [--event page.published]

The endpoint is found by its URL: running the command again updates its name, secret and
events instead of adding a second one. With ``--replace``, an endpoint of the same name at
another URL is moved to this one (the site moved to another address) instead of a second
one being added. ``scripts/run`` uses it to wire the reference frontend
(``scripts/frontend``) to the development CMS.

A URL whose host resolves to an internal address (loopback, private, link-local, cloud
metadata…) is refused, naming the URL and the address, unless CIVIC_WEBHOOK_ALLOW_INTERNAL
allows them (``scripts/run`` does, for the frontend on 127.0.0.1): delivery/outbound.py.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from delivery.models import Event, WebhookEndpoint


class Command(BaseCommand):
    help = "Register a webhook endpoint (by URL; an existing one is updated)."

    def add_arguments(self, parser):
        parser.add_argument("url", help="Where the signed POSTs go (http or https).")
        parser.add_argument("--name", default="Reference frontend", help="What the endpoint is.")
        secret = parser.add_mutually_exclusive_group(required=True)
        secret.add_argument("--secret", help="The shared secret the POSTs are signed with.")
        secret.add_argument("--secret-file", type=Path, help="A file holding the secret.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Move the endpoint of the same name to this URL, if there is one.",
        )
        parser.add_argument(
            "--event",
            action="append",
            default=[],
            choices=sorted(Event.values),
            help="An event to send (repeat for several); none: every event.",
        )

    def handle(self, *args, url, name, secret, secret_file, event, replace, **options):
        if secret_file is not None:
            try:
                secret = secret_file.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise CommandError(f"{secret_file}: cannot read the secret ({error})") from error
        if not secret:
            raise CommandError(f"{secret_file or '--secret'}: the secret is empty")
        endpoint = WebhookEndpoint.objects.filter(url=url).first()
        moved_from = None
        if endpoint is None and replace:
            endpoint = WebhookEndpoint.objects.filter(name=name).order_by("pk").first()
            moved_from = endpoint.url if endpoint else None
        endpoint = endpoint or WebhookEndpoint(url=url)
        created = endpoint.pk is None
        endpoint.url, endpoint.name, endpoint.secret = url, name, secret
        endpoint.events, endpoint.active = event, True
        try:
            endpoint.full_clean()
        except ValidationError as error:
            fields = error.message_dict.items()
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in fields)
            raise CommandError(problems) from error
        endpoint.save()
        events = ", ".join(event) if event else "every event"
        verb = "Registered" if created else "Updated"
        moved = f", moved from {moved_from}" if moved_from else ""
        self.stdout.write(f"{verb} webhook endpoint {name!r}: {url} ({events}{moved}).")
