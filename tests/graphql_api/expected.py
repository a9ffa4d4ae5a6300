"""Expected API values computed from the models through Wagtail's own APIs."""

from wagtailmarkdown.utils import render_markdown

# Every file URL the API gives is absolute: on the origin the request reached (the test
# client's) when CIVIC_MEDIA_BASE_URL is unset, as in the tests.
ORIGIN = "http://testserver"

CARD = "fill-640x360"
CARD_WEBP = ["fill-640x360|format-webp", "fill-1280x720|format-webp"]


def absolute(url: str) -> str:
    """A file URL as the API gives it."""
    return ORIGIN + url


def markdown(text: str) -> dict:
    return {"markdown": text, "html": str(render_markdown(text)) if text else ""}


def image(obj, alt: str) -> dict:
    rendition = obj.get_rendition(CARD)
    widths: dict[int, str] = {}
    for spec in CARD_WEBP:
        webp = obj.get_rendition(spec)
        widths.setdefault(webp.width, absolute(webp.url))
    return {
        "url": absolute(obj.file.url),
        "width": obj.width,
        "height": obj.height,
        "alt": alt,
        "rendition": {
            "url": absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        },
        "srcset": ", ".join(f"{url} {width}w" for width, url in sorted(widths.items())),
    }


def collaborator(obj) -> dict:
    return {
        "slug": obj.slug,
        "name": obj.name,
        "url": obj.url or None,
        "locale": {"code": obj.locale.language_code},
        "logo": image(obj.logo, obj.logo_alt_text) if obj.logo else None,
    }


def block(bound) -> dict:
    """The expected JSON of one demo block, from Wagtail's own StreamValue."""
    value = bound.value
    data = {"__typename": "", "id": bound.id, "blockType": bound.block_type}
    if bound.block_type == "markdown":
        data |= {"__typename": "MarkdownBlock", **markdown(value)}
    elif bound.block_type == "metrics":
        data |= {
            "__typename": "MetricsBlock",
            "metrics": [{"number": i["number"], "text": i["text"]} for i in value["items"]],
        }
    elif bound.block_type == "quote":
        data |= {
            "__typename": "QuoteBlock",
            "text": markdown(value["text"]),
            "author": value["author"],
        }
    elif bound.block_type == "collaborators":
        data |= {
            "__typename": "CollaboratorsBlock",
            "title": value["title"],
            "collaborators": [collaborator(c) for c in value["collaborators"]],
        }
    elif bound.block_type == "call_to_action":
        data |= {
            "__typename": "CallToActionBlock",
            "text": markdown(value["text"]),
            "buttonLabel": value["button_label"],
            "url": value.link_url,
            "image": image(value["image"], value.image_alt_text) if value["image"] else None,
        }
    else:
        raise AssertionError(f"The demo page has an unexpected block: {bound.block_type}")
    return data
