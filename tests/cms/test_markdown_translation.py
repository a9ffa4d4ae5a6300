"""A translator translates Markdown line by line of its block elements in wagtail-localize's
editor; a change of the source shows its old and new text with the previous translation
ready to edit; translations kept of whole Markdown texts are split onto the new segments."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    TranslationSource,
)
from wagtail_localize.models import Translation as LocalizeTranslation
from wagtail_localize.strings import StringValue

from cms.translation_memory import CHANGED
from services.models import ServicePage
from tests.factories import make_service

pytestmark = pytest.mark.django_db

DESCRIPTION = "Acompañamos a **instituciones**.\n\nY a [proyectos](https://goteo.org)."
BODY = """## Fases

Estas son las fases:
una convocatoria al año.

* Redacción de las bases.
* Lanzamiento.

> Sin confianza no hay nada.

| Fase | Duración |
|---|---|
| Captación | Dos meses |
"""
QUOTE = "La confianza\nse gana."

QUERY = """
query ($locale: String) {
  service(slug: "huertos", locale: $locale) {
    locale { code }
    description { markdown html }
    body {
      ... on MarkdownBlock { markdown html }
      ... on QuoteBlock { text { markdown html } }
    }
  }
}
"""


@pytest.fixture
def spanish(site_structure):
    return make_service(
        site_structure.service_indexes["es"],
        title="Huertos",
        slug="huertos",
        description=DESCRIPTION,
        body=[("markdown", BODY), ("quote", {"text": QUOTE, "author": "Goteo"})],
    )


@pytest.fixture
def graphql(client):
    """The public API's answer to a query (the site's caches emptied first)."""

    def run(query: str, variables: dict) -> dict:
        cache.clear()
        body = json.dumps({"query": query, "variables": variables})
        return client.post("/graphql/", data=body, content_type="application/json").json()

    return run


@pytest.fixture
def translator(client):
    user = get_user_model().objects.create_superuser("traductora", "t@example.org", "pw")
    client.force_login(user)
    return user


def _submit(page, locale) -> LocalizeTranslation:
    """What "Translate this page" does: the source, its translation, a draft to translate."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = LocalizeTranslation.objects.create(source=source, target_locale=locale)
    translation.save_target(publish=False)
    return translation


def _ca(text: str) -> str:
    """The test's translation of ``text``; the slug stays (the queries find the page by it)."""
    return text if text == "huertos" else f"CA {text}"


def _offered(translation) -> list[tuple[str, str]]:
    """What the editor offers: (place, source text) of each string segment, in order."""
    return [
        (s.context.path.split(".")[0], s.string.data)
        for s in StringSegment.objects.filter(source=translation.source)
        .select_related("string", "context")
        .order_by("order")
    ]


def _editor(client, page) -> dict:
    """The translation editor's data (the props of its JavaScript) for ``page``."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return json.loads(response.context["props"])


def _save(client, translation, segment_id: int, text: str) -> dict:
    """Save a translation as the editor's JavaScript does."""
    response = client.put(
        f"/admin/localize/translate/{translation.pk}/strings/{segment_id}/edit/",
        data=f"value={text}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content
    return response.json()


def _structure(html: str) -> list[str]:
    return re.findall(r"</?[a-z0-9]+", html)


def test_markdown_round_trips_through_the_editor_line_by_line(
    client, graphql, spanish, translator, locales, django_capture_on_commit_callbacks
):
    translation = _submit(spanish, locales["ca"])
    assert _offered(translation) == [
        ("title", "Huertos"),
        ("slug", "huertos"),
        ("description", "Acompañamos a **instituciones**."),
        ("description", "Y a [proyectos](https://goteo.org)."),
        ("body", "Fases"),
        ("body", "Estas son las fases:"),
        ("body", "una convocatoria al año."),
        ("body", "Redacción de las bases."),
        ("body", "Lanzamiento."),
        ("body", "Sin confianza no hay nada."),
        ("body", "Fase"),
        ("body", "Duración"),
        ("body", "Captación"),
        ("body", "Dos meses"),
        ("body", "La confianza"),
        ("body", "se gana."),
        ("body", "Goteo"),
    ]
    catalan = ServicePage.objects.get(translation_key=spanish.translation_key, locale=locales["ca"])

    # Every segment translated in the editor, then published from it.
    editor = _editor(client, catalan)
    for segment in editor["segments"]:
        if segment["type"] == "string":
            assert "<" not in segment["source"]
            _save(client, translation, segment["id"], _ca(segment["source"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{catalan.pk}/edit/", {"action": "publish"})
    assert response.status_code == 302

    served = graphql(QUERY, {"locale": "ca"})["data"]["service"]
    assert served["locale"] == {"code": "ca"}
    assert served["description"]["markdown"] == (
        "CA Acompañamos a **instituciones**.\n\nCA Y a [proyectos](https://goteo.org)."
    )
    assert served["body"][0]["markdown"] == (
        "## CA Fases\n\nCA Estas son las fases:\nCA una convocatoria al año.\n\n"
        "* CA Redacción de las bases.\n* CA Lanzamiento.\n\n> CA Sin confianza no hay nada.\n\n"
        "| CA Fase | CA Duración |\n|---|---|\n| CA Captación | CA Dos meses |\n"
    )
    assert served["body"][1]["text"]["markdown"] == "CA La confianza\nCA se gana."
    # The served HTML has the source's structure, element for element.
    original = graphql(QUERY, {"locale": "es"})["data"]["service"]
    assert _structure(served["description"]["html"]) == _structure(original["description"]["html"])
    for ours, theirs in zip(served["body"], original["body"], strict=True):
        html = ours.get("html") or ours["text"]["html"]
        assert _structure(html) == _structure(theirs.get("html") or theirs["text"]["html"])
    assert (
        '<a href="https://goteo.org" rel="noopener noreferrer">proyectos</a>'
        in (served["description"]["html"])
    )


def test_a_translation_that_loses_a_link_is_flagged_and_not_used(
    client, spanish, translator, locales
):
    translation = _submit(spanish, locales["ca"])
    segment = StringSegment.objects.get(
        source=translation.source, string__data="Y a [proyectos](https://goteo.org)."
    )
    saved = _save(client, translation, segment.pk, "I a [projectes] (https://goteo.org).")
    assert (saved["data"], saved["error"]) == (
        "I a [projectes] (https://goteo.org).",
        "Links written [words](address): 1 in the source, 0 in this translation. "
        "Keep each link's brackets and parentheses.",
    )
    assert translation.get_progress() == (17, 0)
    saved = _save(client, translation, segment.pk, "I a [projectes](https://goteo.org/ca).")
    assert (saved["data"], saved["error"]) == ("I a [projectes](https://goteo.org/ca).", None)
    assert translation.get_progress() == (17, 1)


def _translate_everything(translation) -> None:
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            data=_ca(segment.string.data),
        )
    translation.save_target(publish=True)


def test_a_changed_line_shows_old_and_new_source_with_the_previous_translation(
    client, graphql, spanish, translator, locales, django_capture_on_commit_callbacks
):
    translation = _submit(spanish, locales["ca"])
    _translate_everything(translation)
    catalan = ServicePage.objects.get(translation_key=spanish.translation_key, locale=locales["ca"])
    assert translation.get_progress() == (17, 17)

    # The source's editor changes one line of the Markdown and publishes.
    page = ServicePage.objects.get(pk=spanish.pk)
    page.body[0].value = BODY.replace("Lanzamiento.", "Lanzamiento público.")
    page.save_revision().publish()

    # Only that line waits; the editor shows its new source, and its previous translation
    # pre-filled with the old source beside it. Every other segment stays translated.
    assert translation.get_progress() == (17, 16)
    editor = _editor(client, catalan)
    sources = {s["id"]: s["source"] for s in editor["segments"] if s["type"] == "string"}
    shown = {sources[t["segment_id"]]: t for t in editor["initialStringTranslations"]}
    assert len(shown) == 17
    changed = shown.pop("Lanzamiento público.")
    assert (changed["data"], changed["error"]) == (
        "CA Lanzamiento.",
        CHANGED.format(old="Lanzamiento."),
    )
    assert {(source, t["data"], t["error"]) for source, t in shown.items()} == {
        (source, _ca(source), None) for source in shown
    }

    # The translator edits the pre-filled translation and publishes: up to date again.
    segment_id = next(i for i, source in sources.items() if source == "Lanzamiento público.")
    saved = _save(client, translation, segment_id, "CA Llançament públic.")
    assert (saved["data"], saved["error"]) == ("CA Llançament públic.", None)
    assert translation.get_progress() == (17, 17)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/pages/{catalan.pk}/edit/", {"action": "publish"})
    served = graphql(QUERY, {"locale": "ca"})["data"]["service"]
    assert "* CA Llançament públic.\n" in served["body"][0]["markdown"]


def test_sync_translated_pages_prefills_when_a_publish_does_not_sync(
    client, spanish, translator, locales, settings
):
    settings.CIVIC_SYNC_TRANSLATIONS_ON_PUBLISH = False
    translation = _submit(spanish, locales["ca"])
    _translate_everything(translation)
    page = ServicePage.objects.get(pk=spanish.pk)
    page.body[0].value = BODY.replace("Lanzamiento.", "Lanzamiento público.")
    page.save_revision().publish()
    # The publish leaves the source as it was: nothing to translate, nothing pre-filled.
    assert translation.get_progress() == (17, 17)
    assert not StringTranslation.objects.filter(has_error=True).exists()

    # wagtail-localize's "Sync translated pages" updates it, and pre-fills as a publish would.
    response = client.post(f"/admin/localize/update/{translation.source_id}/", {})
    assert response.status_code == 302
    assert translation.get_progress() == (17, 16)
    prefilled = StringTranslation.objects.get(has_error=True)
    assert (prefilled.translation_of.data, prefilled.data, prefilled.get_error()) == (
        "Lanzamiento público.",
        "CA Lanzamiento.",
        CHANGED.format(old="Lanzamiento."),
    )


def _whole(translation, first_line: str, source_text: str, translated: str) -> None:
    """A translation as stored before Markdown was split: the whole text one segment (at
    the place of the segment ``first_line``)."""
    source = translation.source
    context = StringSegment.objects.get(source=source, string__data=first_line).context
    string = String.from_value(source.locale, StringValue.from_plaintext(source_text))
    StringSegment.objects.create(source=source, string=string, context=context, order=99)
    StringTranslation.objects.create(
        translation_of=string,
        locale=translation.target_locale,
        context=context,
        data=StringValue.from_plaintext(translated).data,
    )


def test_whole_markdown_translations_are_split_onto_the_new_segments(spanish, locales):
    translation = _submit(spanish, locales["ca"])
    catalan_body = (
        "## Fases\n\nAquestes són les fases:\nuna convocatòria l'any.\n\n"
        "* Redacció de les bases.\n* Llançament.\n\n> Sense confiança no hi ha res.\n\n"
        "| Fase | Durada |\n|---|---|\n| Captació | Dos mesos |\n"
    )
    # The body's translation has its block elements line for line; the description's was
    # typed in the editor, which drops line breaks: it cannot be split.
    _whole(translation, "Fases", BODY, catalan_body)
    _whole(translation, "Acompañamos a **instituciones**.", DESCRIPTION, "Acompanyem tothom.")
    for place in ("title", "slug"):
        segment = StringSegment.objects.get(source=translation.source, context__path=place)
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=locales["ca"],
            context=segment.context,
            data=segment.string.data,
        )

    out = _command_output()
    assert out == (
        "Huertos (ca): 10 segments given their translation, 5 to translate\n"
        "10 segments given their translation; 5 need translation.\n"
    )
    # The quote's three segments, and the description's two, still wait.
    assert translation.get_progress() == (17, 12)
    # Run again: nothing more to give, the same still waits.
    assert _command_output() == (
        "Huertos (ca): 0 segments given their translation, 5 to translate\n"
        "0 segments given their translation; 5 need translation.\n"
    )

    translation.save_target(publish=True)
    catalan = ServicePage.objects.get(translation_key=spanish.translation_key, locale=locales["ca"])
    assert catalan.body[0].value == catalan_body


def _command_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("split_markdown_translations", stdout=out)
    return out.getvalue()


def test_on_the_imported_sample_the_command_gives_nothing_and_counts_what_waits(
    imported_sample,
):
    """The importer already gives each line its translation: the command finds nothing to
    give, and what it says still waits is what wagtail-localize counts untranslated."""
    translations = list(LocalizeTranslation.objects.all())
    before = {t.pk: t.get_progress() for t in translations}
    waiting = sum(total - done for total, done in before.values())
    assert waiting > 0

    out = _command_output()

    assert out.splitlines()[-1] == (
        f"0 segments given their translation; {waiting} need translation."
    )
    assert {t.pk: t.get_progress() for t in translations} == before
