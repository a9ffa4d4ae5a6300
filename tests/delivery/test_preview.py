"""Preview tokens: signed, bound to one page and revision, expiring, previews only."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import signing

from delivery.models import FrontendSettings, PreviewSnapshot
from delivery.preview import PreviewError, issue_token, resolve_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def preview_in_frontend(editor, page, **changes) -> str:
    """Preview in the public site from the admin with unsaved changes; return the URL it opens."""
    data = {
        "title": page.title, "slug": page.slug, "description": page.description,
        "image": page.image_id or "", "image_alt": page.image_alt, "body-count": "0",
        "call_to_action-count": "0",
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
        **changes,
    }  # fmt: skip
    url = f"/admin/pages/{page.pk}/edit/preview/"
    assert editor.post(url, data).json() == {"is_valid": True, "is_available": True}
    response = editor.get(url, {"mode": "frontend"})
    assert response.status_code == 302
    return response["Location"]


def test_preview_in_frontend_opens_the_configured_frontend_with_the_unsaved_content(
    editor, demo_page
):
    FrontendSettings.objects.create(
        site=demo_page.get_site(), frontend_url="https://web.example.org"
    )
    location = preview_in_frontend(editor, demo_page, title="Borrador sin guardar")
    parts = urlsplit(location)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "web.example.org", "/preview")
    query = parse_qs(parts.query)
    assert query["lang"] == ["es"]
    preview = resolve_token(query["token"][0])
    assert (preview.page.pk, preview.page.title, type(preview.page).__name__) == (
        demo_page.pk,
        "Borrador sin guardar",
        "ServicePage",
    )
    assert preview.snapshot.revision_id == demo_page.latest_revision_id
    # Nothing was saved: the live page and its latest revision keep the published title.
    demo_page.refresh_from_db()
    assert (demo_page.title, demo_page.get_latest_revision_as_object().title) == (
        "Crowdfunding cívico",
        "Crowdfunding cívico",
    )


def test_english_preview_goes_to_the_default_frontend_in_english(editor, demo_page, settings):
    settings.CIVIC_FRONTEND_URL = "http://127.0.0.1:3000/"
    english = demo_page.get_translations().get(locale__language_code="en").specific
    location = preview_in_frontend(editor, english, title="Civic crowdfunding (draft)")
    assert location.startswith("http://127.0.0.1:3000/preview?token=")
    assert location.endswith("&lang=en")
    token = parse_qs(urlsplit(location).query)["token"][0]
    assert resolve_token(token).page.title == "Civic crowdfunding (draft)"


def test_token_expires(demo_page, settings):
    settings.CIVIC_PREVIEW_TOKEN_SECONDS = 60
    token = issue_token(demo_page)
    assert resolve_token(token).page.pk == demo_page.pk
    later = time.time() + 61
    with (
        mock.patch("django.core.signing.time.time", return_value=later),
        pytest.raises(
            PreviewError, match=r"^This preview link has expired; press Preview again\.$"
        ),
    ):
        resolve_token(token)


def test_tampered_or_foreign_tokens_are_refused(demo_page):
    token = issue_token(demo_page)
    english = demo_page.get_translations().get(locale__language_code="en")
    forged_claims = signing.loads(token, salt="civic.preview")
    forged_claims["p"] = english.pk
    attempts = [
        token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        signing.dumps(forged_claims, salt="another.purpose"),
        signing.dumps({"s": 1, "p": english.pk, "r": None}),
        "",
        "not-a-token",
    ]
    for attempt in attempts:
        with pytest.raises(PreviewError, match=r"^This is not a valid preview link\.$"):
            resolve_token(attempt)


def test_token_is_bound_to_its_page_and_revision(demo_page):
    token = issue_token(demo_page)
    claims = signing.loads(token, salt="civic.preview")
    english = demo_page.get_translations().get(locale__language_code="en")
    # A validly signed token whose claims do not match the stored snapshot shows nothing.
    for other in ({**claims, "p": english.pk}, {**claims, "r": (claims["r"] or 0) + 1}):
        with pytest.raises(PreviewError, match="expired"):
            resolve_token(signing.dumps(other, salt="civic.preview", compress=True))


def test_expired_snapshots_are_cleaned_up(demo_page, settings):
    first = issue_token(demo_page)
    PreviewSnapshot.objects.update(expires_at="2000-01-01T00:00:00Z")
    with pytest.raises(PreviewError, match="expired"):
        resolve_token(first)
    issue_token(demo_page)  # issuing a token removes the expired ones
    assert PreviewSnapshot.objects.count() == 1


def test_the_public_site_is_the_default_preview_and_the_live_address(editor, demo_page, settings):
    settings.CIVIC_FRONTEND_URL = "http://127.0.0.1:4100"
    assert (demo_page.preview_modes, demo_page.default_preview_mode) == (
        [("frontend", "Public site"), ("cms", "CMS template")],
        "frontend",
    )
    # The preview panel asks for the default mode (no `mode`): the public site opens.
    url = f"/admin/pages/{demo_page.pk}/edit/preview/"
    data = {
        "title": "Sin modo", "slug": demo_page.slug, "description": demo_page.description,
        "image": demo_page.image_id or "", "image_alt": demo_page.image_alt, "body-count": "0",
        "call_to_action-count": "0",
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    }  # fmt: skip
    assert editor.post(url, data).json() == {"is_valid": True, "is_available": True}
    opened = editor.get(url)
    assert opened.status_code == 302
    assert opened["Location"].startswith("http://127.0.0.1:4100/preview?token=")
    # "View live" links the page's address; the CMS sends it on to the public site.
    assert demo_page.url == "/es/services/democratic-funding/"
    live = editor.get(demo_page.url + "?utm_source=admin")
    assert (live.status_code, live["Location"]) == (
        302,
        "http://127.0.0.1:4100/es/services/democratic-funding/?utm_source=admin",
    )
    # Drafts are not live: the CMS's address of one answers 404, it names nothing public.
    demo_page.unpublish()
    assert editor.get("/es/services/democratic-funding/").status_code == 404


def test_without_a_public_site_the_cms_previews_and_serves_its_templates(
    editor, demo_page, cms_templates
):
    assert (demo_page.preview_modes, demo_page.default_preview_mode) == (
        [("", "CMS template")],
        "",
    )
    page = editor.get("/es/services/democratic-funding/")
    assert page.status_code == 200
    assert "<h1>Crowdfunding cívico</h1>" in page.content.decode()


def test_a_site_setting_moves_the_live_address_of_its_pages(client, demo_page, settings):
    settings.CIVIC_FRONTEND_URL = ""
    FrontendSettings.objects.create(
        site=demo_page.get_site(), frontend_url="https://web.example.org/"
    )
    live = client.get("/en/services/democratic-funding/")
    assert (live.status_code, live["Location"]) == (
        302,
        "https://web.example.org/en/services/democratic-funding/",
    )


def test_the_translation_editor_offers_both_previews(editor, demo_page, locales, settings):
    """wagtail-localize's editor links each preview mode but the default by its name."""
    from wagtail_localize.models import Translation, TranslationSource

    settings.CIVIC_FRONTEND_URL = "http://127.0.0.1:4100"
    catalan = demo_page.get_translations().filter(locale__language_code="ca").first()
    if catalan is not None:
        catalan.delete()
    source, _created = TranslationSource.get_or_create_from_instance(demo_page)
    translation = Translation.objects.create(source=source, target_locale=locales["ca"])
    translation.save_target()
    target = demo_page.get_translation(locales["ca"])
    page = editor.get(f"/admin/pages/{target.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/admin/localize/translate/{translation.pk}/preview/" in html
    assert f"/admin/localize/translate/{translation.pk}/preview/cms/" in html
