"""Help texts whose addresses are links, e.g. a consent's path to the privacy policy: the
CMS's own form and the reference frontend's form show the same links."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from contact.builder import help_html
from tests.factories import CONTACT_FIELDS, make_contact_form

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
HARNESS = Path(__file__).with_name("form_hints.mjs")

# (help text, its HTML)
CASES = [
    ("/es/privacy-policy", '<a href="/es/privacy-policy">/es/privacy-policy</a>'),
    (
        "Lee la política: /es/privacy-policy.",
        'Lee la política: <a href="/es/privacy-policy">/es/privacy-policy</a>.',
    ),
    (
        "«/ca/política-de-privadesa» (https://civic.example/a?b=1&c=2)",
        '«<a href="/ca/política-de-privadesa">/ca/política-de-privadesa</a>» '
        '(<a href="https://civic.example/a?b=1&amp;c=2">https://civic.example/a?b=1&amp;c=2</a>)',
    ),
    # Only whole words: a slash between words, a protocol-relative address, a scheme other
    # than the web's and tags are text.
    (
        'y/o / //otro.example javascript:alert(1) <b onclick="x()">Uno</b>',
        "y/o / //otro.example javascript:alert(1) &lt;b onclick=&quot;x()&quot;&gt;Uno&lt;/b&gt;",
    ),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_a_help_texts_addresses_are_links(text, expected):
    assert help_html(text) == expected


@pytest.mark.django_db
def test_the_cms_form_links_the_privacy_policy(
    client, site_structure, settings, tmp_path, cms_templates
):
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path
    *others, (name, label, kind, required) = CONTACT_FIELDS
    make_contact_form(
        site_structure.homes["es"],
        fields=[*others, (name, label, kind, required, {"help_text": "/es/privacy-policy"})],
    )
    html = client.get("/es/cta-contact-service/").content.decode()
    assert (
        '<div class="helptext" id="id_privacy_policy_helptext">'
        '<a href="/es/privacy-policy">/es/privacy-policy</a></div>'
    ) in html


class _Parts(HTMLParser):
    """HTML as its parts: ("text", words) and ("a", href, words)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple] = []
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        self.href = dict(attrs)["href"] if tag == "a" else None

    def handle_endtag(self, tag):
        self.href = None

    def handle_data(self, data):
        self.parts.append(("a", self.href, data) if self.href is not None else ("text", data))


def _parts(html: str) -> list[tuple]:
    parser = _Parts()
    parser.feed(html)
    parser.close()
    return parser.parts


@pytest.mark.skipif(
    NODE is None or not (ROOT / "frontend/node_modules/linkedom").is_dir(),
    reason="Node.js and frontend/node_modules (scripts/bootstrap) are needed",
)
def test_the_frontend_form_links_the_same_addresses():
    texts = [text for text, _html in CASES if text]
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [NODE, str(HARNESS)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    shown = json.loads(out)
    assert [_parts(html) for html in shown] == [_parts(help_html(text)) for text in texts]
