"""Image.placeholder, Image.focalPoint and the cropping presets around the focal point."""

import base64
import io

from PIL import Image as PILImage

from delivery.models import ImagePlaceholder
from delivery.renditions import NEUTRAL_PLACEHOLDER
from tests.factories import make_image, make_service, make_svg_image
from tests.graphql_api.expected import absolute

QUERY = """
{
  service(slug: "con-foto", locale: "es") {
    image {
      placeholder
      focalPoint { x y width height }
      rendition(preset: OPEN_GRAPH) { width height }
      square: srcset(preset: SQUARE_WEBP)
    }
  }
}
"""


def _decoded(uri: str) -> tuple[str, bytes]:
    head, data = uri.split(",", 1)
    return head, base64.b64decode(data)


def test_placeholder_is_a_tiny_inline_image_and_the_focal_point_is_given(site_structure, graphql):
    image = make_image(
        "Foto",
        size=(1600, 900),
        focal_point_x=1400,
        focal_point_y=450,
        focal_point_width=200,
        focal_point_height=300,
    )
    make_service(site_structure.service_indexes["es"], slug="con-foto", image=image)
    response = graphql(QUERY)
    found = dict(response["data"]["service"]["image"])
    tiny = found.pop("placeholder")
    head, data = _decoded(tiny)
    assert head == "data:image/webp;base64"
    assert len(data) < 1024
    assert PILImage.open(io.BytesIO(data)).size == (16, 9)
    square = [image.get_rendition(spec) for spec in ("fill-600x600|format-webp",)]
    square += [image.get_rendition("fill-1200x1200|format-webp")]
    assert found == {
        "focalPoint": {"x": 1400, "y": 450, "width": 200, "height": 300},
        "rendition": {"width": 1200, "height": 630},
        "square": ", ".join(
            f"{absolute(r.url)} {r.width}w" for r in sorted(square, key=lambda r: r.width)
        ),
    }
    assert response == {"data": {"service": {"image": {**found, "placeholder": tiny}}}}
    # Made by the worker when the image was saved, and stored for its file.
    assert ImagePlaceholder.objects.get(image=image).data_uri == tiny
    assert graphql(QUERY) == response


def test_no_focal_point_and_svg_placeholders(site_structure, graphql):
    svg = make_svg_image()
    make_service(site_structure.service_indexes["es"], slug="con-foto", image=svg)
    response = graphql('{ service(slug: "con-foto") { image { placeholder focalPoint { x } } } }')
    with svg.file.open("rb") as handle:
        own = base64.b64encode(handle.read()).decode("ascii")
    assert response == {
        "data": {
            "service": {
                "image": {"placeholder": f"data:image/svg+xml;base64,{own}", "focalPoint": None}
            }
        }
    }


def test_a_placeholder_not_made_for_the_current_file_gives_the_neutral_one(site_structure, graphql):
    image = make_image("Perdida", size=(300, 200))
    make_service(site_structure.service_indexes["es"], slug="con-foto", image=image)
    # Made for a file the image no longer has.
    ImagePlaceholder.objects.filter(image=image).update(file_hash="0" * 40)
    response = graphql('{ service(slug: "con-foto") { image { placeholder } } }')
    assert response == {"data": {"service": {"image": {"placeholder": NEUTRAL_PLACEHOLDER}}}}
