"""The translation report (cms.reports) follows one page through a translator's work, and
empties as the work gets done."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.models import Translation as LocalizeTranslation

from cms.reports import translation_work
from cms.translation_status import progress_of
from services.models import ServicePage
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def _rows(user) -> list[tuple[str, str, str]]:
    # Languages by code: their names follow the language active when the report is read.
    names = {locale.get_display_name(): locale.language_code for locale in Locale.objects.all()}
    return [
        (row.title, names[row.language], row.status)
        for row in translation_work(user)
        if row.source_title == "Huertos"
    ]


def _counted_as_wagtail_localize_counts(translation) -> tuple[int, int]:
    counted = progress_of([translation])[translation.pk]
    assert counted == translation.get_progress()
    return counted


def _translate_all(source, locale) -> None:
    """Every segment translated and saved, as the editor saves (a translation pre-filled
    for a changed segment is confirmed)."""
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": f"[{locale.language_code}] {segment.string.data}",
                "has_error": False,
            },
        )


def test_the_report_follows_a_translation_and_empties(
    site_structure, locales, django_capture_on_commit_callbacks
):
    user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    page = make_service(
        site_structure.service_indexes["es"],
        title="Huertos",
        slug="huertos",
        description="Uno.",
        body=[("metrics", {"items": [{"number": "12", "text": "Barrios"}]})],
    )
    assert _rows(user) == [
        ("Huertos", "ca", "never translated"),
        ("Huertos", "en", "never translated"),
    ]

    # Catalan: started, then every segment translated, saved as a draft, published.
    source, _created = TranslationSource.get_or_create_from_instance(page)
    catalan = LocalizeTranslation.objects.create(source=source, target_locale=locales["ca"])
    catalan.save_target(publish=False)
    assert _rows(user)[0] == ("Huertos", "ca", "never translated")
    assert _counted_as_wagtail_localize_counts(catalan) == (5, 0)
    _translate_all(source, locales["ca"])
    assert _counted_as_wagtail_localize_counts(catalan) == (5, 5)
    catalan.save_target(publish=False)
    assert _rows(user)[0] == ("[ca] Huertos", "ca", "translated, not published")
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes then
        catalan.save_target(publish=True)
    assert _rows(user) == [("Huertos", "en", "never translated")]

    # The source changes one text and is published: the Catalan version is outdated.
    page = ServicePage.objects.get(pk=page.pk)
    page.body[0].value["items"][0]["text"] = "Distritos"
    page.save_revision().publish()
    source.refresh_from_db()
    since = formats.date_format(timezone.localtime(source.last_updated_at), "DATETIME_FORMAT")
    assert _counted_as_wagtail_localize_counts(catalan) == (5, 4)
    assert _rows(user) == [
        ("[ca] Huertos", "ca", f"outdated since {since}: 1 of 5 segments untranslated"),
        ("Huertos", "en", "never translated"),
    ]

    # Translated and published again: nothing left in Catalan.
    _translate_all(source, locales["ca"])
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes then
        catalan.save_target(publish=True)
    assert _rows(user) == [("Huertos", "en", "never translated")]
