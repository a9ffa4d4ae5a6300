"""Make the renditions and placeholder of every image (or of some), e.g. after an upgrade."""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from delivery.renditions import make_renditions


class Command(BaseCommand):
    help = (
        "Make every preset's renditions and the placeholder of each image the API may show. "
        "By default the work is queued for the rendition worker; --now makes them here."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="Image ids (default: every image).")
        parser.add_argument("--now", action="store_true", help="Make them in this process.")

    def handle(self, *args, ids: list[int], now: bool, **options) -> None:
        images = get_image_model().objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
        count = 0
        for pk in images.values_list("pk", flat=True).iterator():
            if now:
                make_renditions.call(pk)
            else:
                make_renditions.enqueue(pk)
            count += 1
        verb = "Made" if now else "Queued"
        self.stdout.write(f"{verb} the renditions of {count} image(s).")
