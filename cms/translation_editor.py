"""wagtail-localize's translation editor, as translators here need it.

Where a segment sits: the editor names a StreamField segment by its block's label and by
the label of that block's child holding it (``get_segment_location_info``), one level
down only. Every text of a list inside a block got the list's name: a metric's number and
its label both read "Items". Here the name is the label of the block that holds the text,
however deep: "Metric number", "Metric label", "Button text" (each block child has an
explicit label of its own, checked in the tests).

Publishing with words missing: the editor's publish button posts ``action=publish`` to
the edit URL, and wagtail-localize publishes at once, untranslated segments showing the
source's words, and says so afterwards. Here such a post first gets a page that says how
many segments will show the source language, with "Publish anyway" (a plain form: it
needs no JavaScript) and a way back to translating.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from wagtail.blocks import Block, ListBlock, StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation

from .translation_status import progress_of

# The field of the confirmation form that says the translator chose to publish anyway.
PUBLISH_ANYWAY = "publish-untranslated"


def holding_label(block: Block, names: list[str]) -> str | None:
    """The label of the block ``names`` (a segment's field path below ``block``) leads
    to: the innermost labelled block. An unlabelled list item keeps its list's label."""
    label = None
    for name in names:
        if isinstance(block, ListBlock):
            block = block.child_block
            if not block.meta.label:
                continue
        elif isinstance(block, StructBlock | StreamBlock) and name in block.child_blocks:
            block = block.child_blocks[name]
        else:
            break
        label = str(block.label)
    return label


_location_info = edit_translation.get_segment_location_info


def segment_location_info(source_instance, tab_helper, content_path, field_path, widget=False):
    """wagtail-localize's location of a segment, named by the block that holds it."""
    info = _location_info(source_instance, tab_helper, content_path, field_path, widget=widget)
    names = field_path.split(".")
    field = source_instance._meta.get_field(names[0])
    if isinstance(field, StreamField) and len(names) > 2:
        block = field.stream_block.child_blocks.get(names[1])
        label = holding_label(block, names[2:]) if block is not None else None
        if label:
            info["subField"] = label
    return info


def connect() -> None:
    # The editor's view looks the function up in its module at each request.
    edit_translation.get_segment_location_info = segment_location_info


def untranslated(instance) -> tuple[Translation, int, int] | None:
    """The Translation that targets ``instance`` with its untranslated and total segment
    counts (as the translation status counts them), or None when it targets nothing."""
    if not isinstance(instance, TranslatableMixin):
        return None
    translation = (
        Translation.objects.filter(
            source__object_id=instance.translation_key,
            target_locale_id=instance.locale_id,
            enabled=True,
        )
        .select_related("source__locale", "target_locale")
        .first()
    )
    if translation is None:
        return None
    total, done = progress_of([translation])[translation.pk]
    return translation, total - done, total


def confirm_publish(request, instance):
    """A publish from the translation editor with segments untranslated: a page that asks
    first. None (the editor carries on) for anything else, or once confirmed."""
    if (
        request.method != "POST"
        or request.POST.get("action") != "publish"
        or request.POST.get(PUBLISH_ANYWAY)
    ):
        return None
    found = untranslated(instance)
    if found is None or not found[1]:
        return None
    translation, missing, total = found
    return TemplateResponse(
        request,
        "cms/translation_publish_confirm.html",
        {
            "object": instance,
            "missing": missing,
            "total": total,
            "target_language": translation.target_locale.get_display_name(),
            "source_language": translation.source.locale.get_display_name(),
            "publish_anyway": PUBLISH_ANYWAY,
            "back_url": request.get_full_path(),
        },
    )
