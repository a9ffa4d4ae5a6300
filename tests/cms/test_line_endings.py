"""Every stored text ends its lines with LF: an admin edit (a browser sends CRLF) keeps the
words wagtail-localize already has translations for."""

import pytest
from django.contrib.auth import get_user_model
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    TranslationSource,
)
from wagtail_localize.models import Translation as LocalizeTranslation

from cms.text import lf, lf_data, normalise_source_strings, normalise_stored
from services.models import ServicePage
from tests.factories import make_member, make_service

pytestmark = pytest.mark.django_db

MARKDOWN = "## Huertos\n\nUn huerto en cada barrio.\n\n- Semillas\n- Agua"


def test_lf():
    assert lf("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert lf_data({"x": ["a\r\nb", 1, None, {"y": "c\r"}]}) == {
        "x": ["a\nb", 1, None, {"y": "c\n"}]
    }


def _edit(page, markdown: str, metric: str) -> dict:
    """The service's edit form as a browser posts it (textareas with CRLF), published."""
    crlf = lambda text: text.replace("\n", "\r\n")  # noqa: E731
    return {
        "title": page.title, "slug": page.slug, "description": crlf("Uno.\n\nDos."),
        "image": "", "image_alt": "", "seo_title": "", "search_description": "",
        "go_live_at": "", "expire_at": "", "call_to_action-count": "0",
        "body-count": "2",
        "body-0-type": "markdown", "body-0-deleted": "", "body-0-order": "0",
        "body-0-id": page.body[0].id, "body-0-value": crlf(markdown),
        "body-1-type": "metrics", "body-1-deleted": "", "body-1-order": "1",
        "body-1-id": page.body[1].id,
        "body-1-value-items-count": "1",
        "body-1-value-items-0-deleted": "", "body-1-value-items-0-order": "0",
        "body-1-value-items-0-id": page.body[1].value["items"].bound_blocks[0].id,
        "body-1-value-items-0-value-number": "12",
        "body-1-value-items-0-value-text": metric,
        "action-publish": "action-publish",
    }  # fmt: skip


def _translated_page(site_structure, locales):
    """A Spanish page with its Markdown and one metric, wholly translated into Catalan."""
    page = make_service(
        site_structure.service_indexes["es"],
        title="Huertos",
        slug="huertos",
        description="Uno.\n\nDos.",
        body=[
            ("markdown", MARKDOWN),
            ("metrics", {"items": [{"number": "12", "text": "Barrios"}]}),
        ],
    )
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = LocalizeTranslation.objects.create(source=source, target_locale=locales["ca"])
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=locales["ca"],
            context=segment.context,
            data=f"[ca] {segment.string.data}",
        )
    translation.save_target(publish=True)
    return page, source, translation


def test_an_admin_edit_keeps_every_unchanged_segment_translated(client, site_structure, locales):
    page, source, translation = _translated_page(site_structure, locales)
    total, translated = translation.get_progress()
    # The title, the slug, the description's two paragraphs, the Markdown's heading,
    # paragraph and two list items, the metric's number and label.
    assert total == translated == 10

    # The editor changes the metric's words only; the browser sends every text in CRLF.
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    response = client.post(f"/admin/pages/{page.pk}/edit/", _edit(page, MARKDOWN, "Distritos"))
    assert response.status_code == 302
    edited = ServicePage.objects.get(pk=page.pk)
    assert (edited.description, edited.body[0].value) == ("Uno.\n\nDos.", MARKDOWN)
    assert "\r" not in str(edited.get_latest_revision().content)

    # "Sync translated pages": only the changed metric is left to translate (its previous
    # translation is there to check, flagged, which wagtail-localize counts as untranslated).
    source.update_from_db()
    assert translation.get_progress() == (10, 9)
    untranslated = [
        s.string.data
        for s in StringSegment.objects.filter(source=source).select_related("string")
        if not StringTranslation.objects.filter(
            translation_of=s.string, locale=locales["ca"], context=s.context, has_error=False
        ).exists()
    ]
    assert untranslated == ["Distritos"]


def test_texts_stored_before_are_made_lf_with_their_translations(locales):
    """What the migration does: rows saved with CRLF before saves normalised them, and
    the source strings wagtail-localize kept of them."""
    member = make_member(locales["es"], slug="ag", name="Ana", bio="Uno.\n\nDos.")
    type(member).objects.filter(pk=member.pk).update(bio="Uno.\r\n\r\nDos.")
    crlf = String.objects.create(locale=locales["es"], data="Tres.\r\nCuatro.")
    twin = String.objects.create(locale=locales["es"], data="Cinco.\nSeis.")
    twin_crlf = String.objects.create(locale=locales["es"], data="Cinco.\r\nSeis.")
    context = _context(member)
    StringTranslation.objects.create(
        translation_of=crlf, locale=locales["ca"], context=context, data="Tres.\r\nQuatre."
    )
    StringTranslation.objects.create(
        translation_of=twin_crlf, locale=locales["ca"], context=context, data="Cinc.\r\nSis."
    )

    assert normalise_stored() == 1
    assert normalise_source_strings() == 2
    member.refresh_from_db()
    assert member.bio == "Uno.\n\nDos."
    crlf.refresh_from_db()
    assert (crlf.data, crlf.data_hash) == (
        "Tres.\nCuatro.",
        String._get_data_hash("Tres.\nCuatro."),
    )
    # The translation made against the CRLF twin now translates the LF text.
    assert [(t.translation_of_id, t.data) for t in StringTranslation.objects.order_by("pk")] == [
        (crlf.pk, "Tres.\nQuatre."),  # a translation is stored LF when it is saved
        (twin.pk, "Cinc.\nSis."),
    ]
    # Done once: nothing left for a second run.
    assert (normalise_stored(), normalise_source_strings()) == (0, 0)


def _context(instance):
    from wagtail_localize.models import TranslatableObject, TranslationContext

    translatable, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
    return TranslationContext.objects.create(object=translatable, path="bio", field_path="bio")


@pytest.mark.parametrize("synced", [True, False], ids=["synced-on-publish", "setting-off"])
def test_a_source_s_publish_leaves_its_changed_texts_to_translate(
    synced, settings, site_structure, locales
):
    settings.CIVIC_SYNC_TRANSLATIONS_ON_PUBLISH = synced
    page, _source, translation = _translated_page(site_structure, locales)
    catalan = ServicePage.objects.get(locale=locales["ca"], translation_key=page.translation_key)
    assert translation.get_progress() == (10, 10)

    # The editor changes the metric's words and publishes: no "Sync translated pages".
    page = ServicePage.objects.get(pk=page.pk)
    page.body[1].value["items"][0]["text"] = "Distritos"
    page.save_revision().publish()

    assert translation.get_progress() == ((10, 9) if synced else (10, 10))
    # The Catalan page stays as its translators left it.
    catalan.refresh_from_db()
    assert catalan.body[1].value["items"][0]["text"] == "[ca] Barrios"
