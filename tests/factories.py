"""Small builders for test content: images drawn in memory and service pages."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from services.models import ServicePage


def make_image(title: str = "Test image", size=(64, 48), fmt: str = "PNG", **fields):
    """A real image file in the image library, drawn with Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    image = get_image_model()(title=title, **fields)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.{fmt.lower()}")
    image.save()
    return image


def make_svg_image(title: str = "Vector logo"):
    """An SVG file in the image library."""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        b'<rect width="120" height="40" fill="#123"/></svg>'
    )
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(svg), name=f"{title}.svg")
    image.save()
    return image


def make_service(index, *, title="Servicio", slug="servicio", body=(), publish=True, **fields):
    """A service page under the given services index, published unless asked otherwise."""
    page = ServicePage(title=title, slug=slug, body=list(body), live=publish, **fields)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
