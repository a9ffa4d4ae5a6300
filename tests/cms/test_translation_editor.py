"""The translation editor (cms.translation_editor): every text is named by the block that
holds it, and publishing with untranslated segments asks first."""

import inspect
import json
from importlib.metadata import version

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.blocks import ListBlock, StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.models import Translation as LocalizeTranslation
from wagtail_localize.views import edit_translation

from cms.models import Member
from cms.translation_editor import (
    PUBLISH_ANYWAY,
    _location_info,
    confirm_publish,
    segment_location_info,
)
from services.models import ServicePage
from tests.factories import make_member, make_service

# Names that say nothing of what a field holds, once it sits beside others.
VAGUE = {"item", "items", "text", "value", "markdown", "title", "content"}


def _structs(block, where: str):
    """(where, StructBlock) of every StructBlock in ``block``, however deep."""
    if isinstance(block, StructBlock):
        yield where, block
    if isinstance(block, StructBlock | StreamBlock):
        for name, child in block.child_blocks.items():
            yield from _structs(child, f"{where}.{name}")
    elif isinstance(block, ListBlock):
        yield from _structs(block.child_block, f"{where}.item")


def _all_structs():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField) and field.model is model:
                yield from _structs(field.stream_block, f"{model._meta.label}.{field.name}")


def test_the_release_is_one_the_adapter_was_checked_with():
    # cms.translation_editor replaces a function of wagtail-localize's editor view (how it
    # names a segment's place), called with these arguments: checked against this release.
    assert version("wagtail-localize").startswith("1.14.")
    assert list(inspect.signature(_location_info).parameters) == [
        "source_instance",
        "tab_helper",
        "content_path",
        "field_path",
        "widget",
    ]
    assert edit_translation.get_segment_location_info is segment_location_info


def test_every_child_of_every_struct_block_has_a_label_of_its_own():
    structs = list(_all_structs())
    assert len({type(block) for _where, block in structs}) >= 20
    for where, block in structs:
        labels = []
        for name, child in block.child_blocks.items():
            assert "label" in child._constructor_args[1], f"{where}.{name} has no explicit label"
            labels.append(str(child.label))
            assert str(child.label).lower() not in VAGUE, f"{where}.{name}: {child.label!r}"
        assert len({label.lower() for label in labels}) == len(labels), f"{where}: {labels}"


def _translate(source, locale, done) -> None:
    """Translate the source's segments whose text is in ``done``."""
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        if segment.string.data in done:
            StringTranslation.objects.create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                data=f"[ca] {segment.string.data}",
            )


BODY = [
    ("metrics", {"items": [{"number": "12", "text": "Barrios"}]}),
    ("numbers", {"items": [{"number": "94", "label": "proyectos"}]}),
    ("questions", {"items": [{"question": "¿Quién decide?"}]}),
    (
        "call_to_action",
        {
            "text": "¿Quieres saber más?",
            "button_label": "Pregúntanos",
            "form": None,
            "page": None,
            "url": "#contact",
            "image": None,
            "image_alt": "",
        },
    ),
    ("links", {"title": "Más", "items": [{"url": "https://goteo.org/", "title": "Goteo"}]}),
]


@pytest.fixture
def catalan(site_structure, locales):
    """A Spanish service page and its Catalan translation, started, nothing translated."""
    page = make_service(
        site_structure.service_indexes["es"], title="Huertos", slug="huertos", body=BODY
    )
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = LocalizeTranslation.objects.create(source=source, target_locale=locales["ca"])
    translation.save_target(publish=False)
    return translation, page.get_translation(locales["ca"])


def test_the_editor_names_each_text_by_the_block_that_holds_it(admin_client, catalan):
    _translation, target = catalan
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[target.pk]))
    assert response.status_code == 200
    props = json.loads(response.context["props"])
    body = [
        (s["location"]["field"], s["location"]["subField"], s["source"])
        for s in props["segments"]
        if s["type"] == "string" and s["contentPath"].startswith("body.")
    ]
    assert body == [
        ("Metrics", "Metric number", "12"),
        ("Metrics", "Metric label", "Barrios"),
        ("Numbers", "Number", "94"),
        ("Numbers", "Number label", "proyectos"),
        ("Questions", "Question", "¿Quién decide?"),
        ("Call to action in the text", "Call-to-action text", "¿Quieres saber más?"),
        ("Call to action in the text", "Button text", "Pregúntanos"),
        ("Links", "Heading", "Más"),
        ("Links", "Link text", "Goteo"),
    ]


def _publish(client, page, **extra):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish", **extra}
    )


def test_publishing_with_untranslated_segments_asks_first(
    admin_client, catalan, locales, django_capture_on_commit_callbacks
):
    translation, target = catalan
    _translate(translation.source, locales["ca"], {"Huertos", "Barrios", "Pregúntanos"})
    revisions = target.revisions.count()

    response = _publish(admin_client, target)
    assert response.status_code == 200
    assert response.templates[0].name == "cms/translation_publish_confirm.html"
    content = response.content.decode()
    question = content.split('data-untranslated="')[1].split("</p>")[0]
    # Language names follow the admin's language.
    catalan_name, spanish_name = locales["ca"].get_display_name(), locales["es"].get_display_name()
    assert " ".join(question.split()) == (
        f'8"> 8 of 11 segments of “Huertos” are not translated into {catalan_name}. Published'
        f" now, they will show the {spanish_name} text to readers."
    )
    assert f'name="{PUBLISH_ANYWAY}" value="1"' in content
    # Nothing was published, nor saved.
    assert target.revisions.count() == revisions
    assert not ServicePage.objects.get(pk=target.pk).live

    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(admin_client, target, **{PUBLISH_ANYWAY: "1"})
    assert response.status_code == 302
    published = ServicePage.objects.get(pk=target.pk)
    assert published.live
    assert published.title == "[ca] Huertos"
    assert published.body[0].value["items"][0]["text"] == "[ca] Barrios"
    assert published.body[0].value["items"][0]["number"] == "12"  # shown in Spanish


def test_publishing_a_complete_translation_does_not_ask(
    admin_client, catalan, locales, django_capture_on_commit_callbacks
):
    translation, target = catalan
    everything = set(
        StringSegment.objects.filter(source=translation.source).values_list(
            "string__data", flat=True
        )
    )
    _translate(translation.source, locales["ca"], everything)
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(admin_client, target)
    assert response.status_code == 302
    published = ServicePage.objects.get(pk=target.pk)
    assert published.live
    assert published.title == "[ca] Huertos"


def test_a_page_no_translation_targets_is_left_to_wagtail(rf, site_structure):
    """Sources and pages written by hand publish through Wagtail's own form, untouched."""
    page = make_service(site_structure.service_indexes["es"], title="Huertos", slug="huertos")
    assert confirm_publish(rf.post("/", {"action": "publish"}), page) is None


def test_publishing_a_snippet_translation_with_untranslated_segments_asks_first(
    admin_client, locales
):
    member = make_member(locales["es"], slug="lm", name="Luis Mora", position="Diseñador")
    source, _created = TranslationSource.get_or_create_from_instance(member)
    translation = LocalizeTranslation.objects.create(source=source, target_locale=locales["ca"])
    translation.save_target(publish=True)
    catalan = Member.objects.get(translation_key=member.translation_key, locale=locales["ca"])

    response = admin_client.post(
        reverse("wagtailsnippets_cms_member:edit", args=[catalan.pk]), {"action": "publish"}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "cms/translation_publish_confirm.html"
    assert response.context["missing"] == response.context["total"] == 1
