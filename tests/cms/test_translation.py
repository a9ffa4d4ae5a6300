"""A translator translates a service page and its collaborators with wagtail-localize."""

import pytest
from django.contrib.auth import get_user_model
from wagtail_localize.models import StringSegment, Translation

from cms.models import Collaborator
from services.models import ServicePage
from tests.factories import make_image, make_service

pytestmark = pytest.mark.django_db

SPANISH_TO_ENGLISH = {
    "Matchfunding": "Matchfunding",
    "Acompañamos a **instituciones**.": "We support **institutions**.",
    "Dinero aportado": "Money contributed",
    "Convocatorias": "Calls for applications",
    "La confianza se gana.": "Trust is earned.",
    "¿Quieres saber más?": "Want to know more?",
    "Pregúntanos": "Ask us",
    "Manos unidas": "Joined hands",
    "Ayuntamiento de Barcelona": "Barcelona City Council",
}


@pytest.fixture
def spanish_page(site_structure, locales):
    collaborator = Collaborator.objects.create(
        name="Ayuntamiento de Barcelona", slug="ay-bcn", locale=locales["es"]
    )
    return make_service(
        site_structure.service_indexes["es"],
        title="Matchfunding",
        slug="matchfunding",
        description="Acompañamos a **instituciones**.",
        body=[
            (
                "metrics",
                {
                    "items": [
                        {"number": "1.1M", "text": "Dinero aportado"},
                        {"number": "12", "text": "Convocatorias"},
                    ]
                },
            ),
            ("quote", {"text": "La confianza se gana.", "author": "Goteo"}),
            ("collaborators", {"title": "", "collaborators": [collaborator]}),
            (
                "call_to_action",
                {
                    "text": "¿Quieres saber más?",
                    "button_label": "Pregúntanos",
                    "url": "#contact",
                    "image": make_image("cta"),
                    "image_alt": "Manos unidas",
                    "page": None,
                },
            ),
        ],
    )


def test_translator_translates_page_and_collaborator_in_the_admin(
    client, spanish_page, locales, django_capture_on_commit_callbacks, settings
):
    translator = get_user_model().objects.create_superuser("traductora", "t@example.org", "pw")
    client.force_login(translator)
    en = locales["en"]

    # 1. Submit the Spanish page (and the collaborators it uses) for translation into English.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/localize/submit/page/{spanish_page.pk}/",
            {"locales": [en.pk], "include_subtree": ""},
        )
    assert response.status_code == 302
    english = ServicePage.objects.get(translation_key=spanish_page.translation_key, locale=en)
    english_collaborator = Collaborator.objects.get(slug="ay-bcn", locale=en)
    assert english.live is False  # a draft until the translator publishes it

    # 2. Translate every string in the translation editor, as its JavaScript does.
    for instance in (english_collaborator, english):
        translation = Translation.objects.get(
            source__object_id=instance.translation_key, target_locale=en
        )
        segments = StringSegment.objects.filter(source=translation.source).select_related("string")
        for segment in segments:
            text = SPANISH_TO_ENGLISH.get(segment.string.data, segment.string.data)
            response = client.put(
                f"/admin/localize/translate/{translation.pk}/strings/{segment.pk}/edit/",
                data=f"value={text}",
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code in (200, 201), response.content

    # 3. Publish both from the translation editor.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/snippets/cms/collaborator/edit/{english_collaborator.pk}/",
            {"action": "publish", "localize-restart-translation": ""},
        )
        assert response.status_code == 302
        response = client.post(f"/admin/pages/{english.pk}/edit/", {"action": "publish"})
        assert response.status_code == 302

    english.refresh_from_db()
    english_collaborator.refresh_from_db()
    assert english_collaborator.name == "Barcelona City Council"
    assert (english.live, english.title, english.description) == (
        True,
        "Matchfunding",
        "We support **institutions**.",
    )
    body = {block.block_type: block.value for block in english.body}
    assert [item["text"] for item in body["metrics"]["items"]] == [
        "Money contributed",
        "Calls for applications",
    ]
    assert [item["number"] for item in body["metrics"]["items"]] == ["1.1M", "12"]
    assert (body["quote"]["text"], body["quote"]["author"]) == ("Trust is earned.", "Goteo")
    assert (
        body["call_to_action"]["text"],
        body["call_to_action"]["button_label"],
        body["call_to_action"]["image_alt"],
        body["call_to_action"]["url"],
    ) == ("Want to know more?", "Ask us", "Joined hands", "#contact")
    assert list(body["collaborators"]["collaborators"]) == [english_collaborator]
    # The Spanish original is untouched.
    spanish_page.refresh_from_db()
    assert next(b.value for b in spanish_page.body)["items"][0]["text"] == "Dinero aportado"
    # Live: its CMS address leads to the same path on the public site.
    live = client.get("/en/services/matchfunding/")
    assert (live.status_code, live["Location"]) == (
        302,
        f"{settings.CIVIC_FRONTEND_URL}/en/services/matchfunding/",
    )


def _offered(instance) -> tuple[list[str], list[str]]:
    """What wagtail-localize offers a translator: (texts to translate, values to override)."""
    from wagtail_localize.segments import OverridableSegmentValue, StringSegmentValue
    from wagtail_localize.segments.extract import extract_segments

    segments = extract_segments(instance)
    return (
        sorted({s.path for s in segments if isinstance(s, StringSegmentValue)}),
        sorted({s.path for s in segments if isinstance(s, OverridableSegmentValue)}),
    )


def test_identifiers_are_never_offered_to_translators(locales):
    from sitewide.models import Menu
    from tests.factories import make_member

    member = make_member(
        locales["es"],
        slug="ag",
        name="Ana García",
        position="Coordinadora",
        email="ana@example.org",
        twitter="https://x.example/ana",
    )
    # Its position is words; its name may be overridden (as may a photo and notes, which
    # it has none of); its slug, kind, email and links are the same in every language.
    assert _offered(member) == (["position"], ["name"])
    menu = Menu.objects.create(locale=locales["es"], handle="about_nav", title="Secciones")
    assert _offered(menu) == (["title"], [])
