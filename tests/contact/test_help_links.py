"""Help texts whose addresses are links, e.g. a consent's path to the privacy policy: one
rule (contact.builder.help_html) for the CMS's own form and the API's `helpHtml`, which the
reference frontend shows (tests/frontend/test_static_build.py)."""

from __future__ import annotations

import pytest

from contact.builder import help_html
from tests.factories import CONTACT_FIELDS, make_contact_form

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
