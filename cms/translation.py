"""Translations made through wagtail-localize, so translators can later sync and edit them."""

from collections.abc import Mapping

from django.db import transaction
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.strings import StringValue


@transaction.atomic
def translate_with_strings(
    instance, locale: Locale, strings: Mapping[str, str], *, user=None, publish: bool = True
):
    """Translate ``instance`` into ``locale`` the way a translator does in the admin.

    Each source string found in ``strings`` gets that translation; a string without
    one keeps the source text (wagtail-localize's fallback). Returns the translated
    object, created or updated in place.
    """
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    translation, _ = Translation.objects.update_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    # wagtail-localize stores strings in its own HTML-ish form (newlines become <br/>).
    stored = {
        StringValue.from_plaintext(k).data: StringValue.from_plaintext(v).data
        for k, v in strings.items()
    }
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = stored.get(segment.string.data)
        if text is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    translation.save_target(user=user, publish=publish)
    return instance.get_translation(locale)
