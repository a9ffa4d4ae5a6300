"""The admin's Markdown editor asks no other site for anything: its icons are Font Awesome
served by the CMS, its options (no spell checker downloading dictionaries) are ours."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ASSETS = (
    "fontawesomefree/css/all.min.css",
    "fontawesomefree/css/v4-shims.min.css",
    "fontawesomefree/webfonts/fa-solid-900.woff2",
    "cms/js/markdown-editor.js",
)


@pytest.fixture
def editor(client, site_structure):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    index = site_structure.service_indexes["es"]
    response = client.get(f"/admin/pages/add/services/servicepage/{index.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_loads_its_icons_and_options_from_the_cms(editor):
    assert all(finders.find(path) for path in ASSETS), [p for p in ASSETS if not finders.find(p)]
    assert '<link rel="stylesheet" href="/static/fontawesomefree/css/all.min.css">' in editor
    assert '<link rel="stylesheet" href="/static/fontawesomefree/css/v4-shims.min.css">' in editor
    # Our options come before wagtail-markdown's script that reads them.
    options = editor.index('<script src="/static/cms/js/markdown-editor.js"></script>')
    attach = editor.index("wagtailmarkdown/js/easymde.attach.js")
    assert options < attach
    # Every Markdown field is told not to fetch Font Awesome from a CDN.
    assert "easymde-autodownload-value" in editor
    assert 'data-easymde-autodownload-value="true"' not in editor


def test_no_script_or_stylesheet_comes_from_another_site(editor):
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', editor)
    assert sources, "the page loads scripts and stylesheets"
    elsewhere = [url for url in sources if re.match(r"^(?:[a-z]+:)?//", url)]
    assert elsewhere == []
