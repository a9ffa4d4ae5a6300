"""Every file URL the API gives is absolute: on CIVIC_MEDIA_BASE_URL when set, else on the
CMS's origin as the request reached it; the response cache never mixes origins."""

import json

import pytest

from tests.factories import make_image, make_service
from tests.graphql_api.conftest import make_document

QUERY = """
{
  service(slug: "con-medios", locale: "es") {
    image { url rendition(preset: CARD) { url } srcset(preset: THUMBNAIL) }
    description { html }
    body {
      ... on MarkdownBlock { html }
      ... on DocumentsBlock { documents { url } }
    }
  }
}
"""


@pytest.fixture
def media_page(site_structure):
    image = make_image("Foto", size=(800, 600))
    document = make_document("Informe")
    inline = image.file.url
    make_service(
        site_structure.service_indexes["es"],
        slug="con-medios",
        image=image,
        description=f"![Foto]({inline}) y [el informe]({inline}).",
        body=[
            ("markdown", f'![Otra]({inline} "Título")\n\n[fuera](https://goteo.org/)'),
            ("documents", {"title": "", "items": [{"document": document, "title": ""}]}),
        ],
    )
    return image, document


def _expected(origin: str, media: str, image, document) -> dict:
    card = image.get_rendition("fill-640x360").url
    thumbs = [image.get_rendition(spec).url for spec in ("fill-160x160", "fill-320x320")]
    file = media + image.file.url
    return {
        "data": {
            "service": {
                "image": {
                    "url": file,
                    "rendition": {"url": media + card},
                    "srcset": f"{media}{thumbs[0]} 160w, {media}{thumbs[1]} 320w",
                },
                "description": {
                    "html": f'<p><img alt="Foto" src="{file}"> y '
                    f'<a href="{file}" rel="noopener noreferrer">el informe</a>.</p>'
                },
                "body": [
                    {
                        "html": f'<p><img alt="Otra" src="{file}" title="Título"></p>\n'
                        '<p><a href="https://goteo.org/" rel="noopener noreferrer">fuera</a></p>'
                    },
                    # Documents are served by the CMS's download view, never by the media
                    # host: always on the CMS's origin.
                    {"documents": [{"url": origin + document.url}]},
                ],
            }
        }
    }


def test_on_the_cms_origin_by_default(media_page, graphql):
    image, document = media_page
    origin = "http://cms.example.org"
    response = graphql(QUERY, HTTP_HOST="cms.example.org")
    assert response == _expected(origin, origin, image, document)


def test_on_the_media_base_when_set(media_page, graphql, settings):
    settings.CIVIC_MEDIA_BASE_URL = "https://cdn.example.org/"
    image, document = media_page
    response = graphql(QUERY)
    assert response == _expected("http://testserver", "https://cdn.example.org", image, document)


def test_the_response_cache_never_serves_one_origins_urls_to_another(media_page, client, settings):
    settings.CIVIC_GRAPHQL_CACHE_SECONDS = 600
    image, document = media_page

    def ask(host: str):
        return client.get("/graphql/", {"query": QUERY}, HTTP_HOST=host)

    first = ask("cms.example.org")
    again = ask("cms.example.org")
    other = ask("api.example.net")
    assert [r["X-Civic-Cache"] for r in (first, again, other)] == ["miss", "hit", "miss"]
    assert first.json() == _expected(
        "http://cms.example.org", "http://cms.example.org", image, document
    )
    assert other.json() == _expected(
        "http://api.example.net", "http://api.example.net", image, document
    )
    assert "cms.example.org" not in json.dumps(other.json())
    # The same host over https is another origin: its own answer, with https URLs.
    secure = client.get("/graphql/", {"query": QUERY}, HTTP_HOST="cms.example.org", secure=True)
    assert secure["X-Civic-Cache"] == "miss"
    assert secure.json() == _expected(
        "https://cms.example.org", "https://cms.example.org", image, document
    )
