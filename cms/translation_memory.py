"""What translators already wrote, kept when the segments they wrote it for change.

**Markdown split by line.** A Markdown text used to be one segment; it is now a segment per
line of its block elements (``blocks.markdown``). Existing translations are
StringTranslations of whole texts. ``split_whole_translations`` re-extracts every source's
segments from the content it holds, and gives each new segment without a translation the
matching line of a whole translation at the same place: the translation is split the same
way, and taken only when it has the source's block elements line for line (a translation
typed in the editor, which drops line breaks, has not). What cannot be matched waits for
translation, as the translation status report shows.

**A changed segment.** When a publish of the source changes a segment (a line, a title),
wagtail-localize makes it a new string with no translation. ``prefill_changed`` gives it,
in each language, the translation of the segment it replaced, flagged: wagtail-localize
counts a StringTranslation with an error as not translated (the segment still waits, the
report says outdated) and its editor shows it in place of the translation, ready to edit,
with the error as the note beside it. The note quotes the source as it was; the editor
shows the new source above it. Saving it in the editor clears the flag. Both ways a source
is updated do it: a publish (cms.translation_sync) and "Sync translated pages".

**A lost link.** A translation saved without as many Markdown links as its source (a
bracket or parenthesis lost would show the link's syntax to readers) is flagged the same
way, with what is wrong as its note: it is not used until corrected.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue
from wagtail_localize.views import update_translations

from blocks.markdown import link_problem, same_structure, segments

# The note beside a pre-filled translation (the field wagtail-localize shows as its error).
CHANGED = (
    "The source changed. It said: “{old}”. This translation is of that text: check it and save."
)


def text_of(data: str) -> str:
    """The plain text of wagtail-localize's HTML of a string."""
    return StringValue(data).render_text()


def data_of(text: str) -> str:
    """wagtail-localize's HTML of a plain text."""
    return StringValue.from_plaintext(text).data


@receiver(pre_save, sender=StringTranslation, dispatch_uid="cms.translation_memory.links")
def check_links(sender, instance, update_fields=None, **kwargs) -> None:
    """Flag a translation that lost a Markdown link of its source: wagtail-localize counts it
    untranslated and its editor shows why beside it."""
    if instance.has_error or (update_fields is not None and "data" not in update_fields):
        return
    problem = link_problem(text_of(instance.translation_of.data), text_of(instance.data))
    if problem:
        instance.has_error, instance.field_error = True, problem


# Changed segments ----------------------------------------------------------------------


def snapshot(source: TranslationSource) -> dict[int, list[int]]:
    """The string ids of ``source``'s segments at each of its places (context ids), in order."""
    places: dict[int, list[int]] = defaultdict(list)
    for context_id, string_id in (
        StringSegment.objects.filter(source=source)
        .order_by("order")
        .values_list("context_id", "string_id")
    ):
        places[context_id].append(string_id)
    return places


def replaced(before: dict[int, list[int]], after: dict[int, list[int]]) -> list[tuple]:
    """(context id, old string id, new string id) for each segment that a change of the
    source replaced with another at the same place: the strings of each place aligned in
    order, a run of changed ones paired one to one when both runs are as long."""
    pairs = []
    for context_id, new_ids in after.items():
        old_ids = before.get(context_id, [])
        matcher = difflib.SequenceMatcher(a=old_ids, b=new_ids, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "replace" and i2 - i1 == j2 - j1:
                pairs.extend(
                    (context_id, old, new)
                    for old, new in zip(old_ids[i1:i2], new_ids[j1:j2], strict=True)
                )
    return pairs


def prefill_changed(source: TranslationSource, before: dict[int, list[int]]) -> int:
    """Give each segment of ``source`` that replaced another since ``before`` the previous
    translation, flagged as to check, in each language ``source`` is translated into;
    returns how many were given."""
    pairs = replaced(before, snapshot(source))
    if not pairs:
        return 0
    locale_ids = list(
        Translation.objects.filter(source=source).values_list("target_locale_id", flat=True)
    )
    previous = {
        (t.context_id, t.translation_of_id, t.locale_id): t
        for t in StringTranslation.objects.filter(
            context_id__in={c for c, _, _ in pairs},
            translation_of_id__in={old for _, old, _ in pairs},
            locale_id__in=locale_ids,
        ).select_related("translation_of")
    }
    taken = set(
        StringTranslation.objects.filter(
            context_id__in={c for c, _, _ in pairs},
            translation_of_id__in={new for _, _, new in pairs},
            locale_id__in=locale_ids,
        ).values_list("context_id", "translation_of_id", "locale_id")
    )
    given = 0
    for context_id, old, new in pairs:
        for locale_id in locale_ids:
            was = previous.get((context_id, old, locale_id))
            if was is None or (context_id, new, locale_id) in taken:
                continue
            StringTranslation.objects.create(
                translation_of_id=new,
                locale_id=locale_id,
                context_id=context_id,
                data=was.data,
                translation_type=was.translation_type,
                tool_name=was.tool_name,
                last_translated_by=was.last_translated_by,
                has_error=True,
                field_error=CHANGED.format(old=text_of(was.translation_of.data)),
            )
            given += 1
    return given


def update_source(instance) -> TranslationSource:
    """Update the source its translators work from with ``instance`` (as "Sync translated
    pages" does), the translations of its changed segments pre-filled."""
    with transaction.atomic():
        source = TranslationSource.objects.filter(
            object_id=instance.translation_key, locale_id=instance.locale_id
        ).first()
        before = snapshot(source) if source else {}
        source, _created = TranslationSource.update_or_create_from_instance(instance)
        prefill_changed(source, before)
    return source


class UpdateTranslationsView(update_translations.UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", the translations of the changed segments
    pre-filled (routed in place of its own in cms/urls.py)."""

    @transaction.atomic
    def form_valid(self, form):
        before = snapshot(self.object)
        response = super().form_valid(form)
        prefill_changed(self.object, before)
        return response


# Whole Markdown translations ---------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """What ``split_whole_translations`` did for one source in one language."""

    source: TranslationSource
    locale_id: int
    # Segments given a line of a whole translation.
    given: int
    # Segments with no translation after it.
    untranslated: int


def split_whole_translations(sources=None) -> list[Split]:
    """Re-extract the segments of ``sources`` (default: all) from the content each holds,
    and give the new Markdown segments the lines of the whole translations at their place;
    returns, per source and language it is translated into, what was given and what still
    waits (only those with either)."""
    results = []
    for source in sources if sources is not None else TranslationSource.objects.all():
        with transaction.atomic():
            source.refresh_segments()
            results.extend(_split_for(source))
    return results


def _split_for(source: TranslationSource) -> list[Split]:
    places: dict[int, list[StringSegment]] = defaultdict(list)
    for segment in (
        StringSegment.objects.filter(source=source).select_related("string").order_by("order")
    ):
        places[segment.context_id].append(segment)
    results = []
    for locale_id in Translation.objects.filter(source=source).values_list(
        "target_locale_id", flat=True
    ):
        translations = StringTranslation.objects.filter(
            context_id__in=places, locale_id=locale_id
        ).select_related("translation_of")
        done = {(t.context_id, t.translation_of_id) for t in translations if not t.has_error}
        given = untranslated = 0
        for context_id, place in places.items():
            missing = [s for s in place if (context_id, s.string_id) not in done]
            if not missing:
                continue
            lines = _lines_of_whole_translations(
                t
                for t in translations
                if t.context_id == context_id
                and not t.has_error
                and t.translation_of_id not in {s.string_id for s in place}
            )
            for segment in missing:
                line = lines.get(text_of(segment.string.data))
                if line is None:
                    untranslated += 1
                    continue
                StringTranslation.objects.create(
                    translation_of_id=segment.string_id,
                    locale_id=locale_id,
                    context_id=context_id,
                    data=data_of(line),
                    translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                )
                given += 1
        if given or untranslated:
            results.append(Split(source, locale_id, given, untranslated))
    return results


def _lines_of_whole_translations(translations) -> dict[str, str]:
    """Each source line of the given whole-text translations, with its translated line."""
    lines: dict[str, str] = {}
    for translation in translations:
        source, translated = text_of(translation.translation_of.data), text_of(translation.data)
        if same_structure(source, translated):
            lines.update(zip(segments(source), segments(translated), strict=True))
    return lines
