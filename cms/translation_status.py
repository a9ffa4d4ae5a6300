"""Where a translation stands: one definition, read by the admin report and the API.

From wagtail-localize's data: the Translation that targets an object's language (from the
source the translators work from), the number of that source's segments, and how many of
them are translated into the language. An object no Translation targets is a source, or a
version written by hand with words of its own: it is up to date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationLog


@dataclass(frozen=True)
class Status:
    """Where one object in one language stands."""

    source_locale_id: int
    # Segments of the source not translated into the language (0 for a source).
    untranslated: int
    total: int
    # When the source last changed, once the translation fell behind it.
    outdated_since: datetime | None
    # When the translation was last published (pages), or None.
    translated_at: datetime | None
    # "never translated", "outdated", "not published", or "" when up to date.
    state: str

    @property
    def up_to_date(self) -> bool:
        return not self.state


def status(target, translation: Translation | None, progress: tuple[int, int]) -> Status:
    """Where ``target`` (a page or snippet in one language, or None where there is no
    version yet) stands, given the Translation that targets its language and that
    translation's progress (total, done)."""
    if translation is None:
        return Status(target.locale_id, 0, 0, None, _published_at(target), "")
    total, done = progress
    changed_at = translation.source.last_updated_at
    source_locale = translation.source.locale_id
    copy = target is None or never_translated(translation, progress)
    if copy and not done:
        return Status(source_locale, total - done, total, None, None, "never translated")
    if done < total:
        return Status(
            source_locale, total - done, total, changed_at, _published_at(target), "outdated"
        )
    # Every segment translated, and the text served still the copy of the source (a
    # snippet), or a page's translation not live.
    if copy or (isinstance(target, Page) and (not target.live or target.has_unpublished_changes)):
        return Status(source_locale, 0, total, None, _published_at(target), "not published")
    return Status(source_locale, 0, total, None, _published_at(target), "")


def never_translated(translation: Translation | None, progress: tuple[int, int]) -> bool:
    """A version whose text served holds only its source's words: the Translation that
    targets it has segments, and none of them was translated when that text was written
    (the importer's copies; a translation begun and not published yet, whose live text is
    still the copy of the source). ``translation`` as ``with_progress`` reads it."""
    total, done = progress
    if translation is None or not total:
        return False
    if not done:
        return True
    # When wagtail-localize last wrote the text served (None: written otherwise, by hand
    # or by the importer with the version's own words), and its first translated segment.
    written = getattr(translation, "text_written_at", None)
    first = getattr(translation, "first_translated_at", None)
    return written is not None and first is not None and first > written


def _published_at(target) -> datetime | None:
    return getattr(target, "last_published_at", None)


def with_progress(translations: QuerySet) -> QuerySet:
    """``translations`` with the progress ``Translation.get_progress`` counts: how many
    segments their source has (``segments_total``) and how many of those are translated
    into their language without error (``segments_done``)."""
    segments = (
        StringSegment.objects.filter(source_id=OuterRef("source_id")).order_by().values("source_id")
    )
    done = segments.filter(
        string__translations__locale_id=OuterRef("target_locale_id"),
        string__translations__context_id=F("context_id"),
        string__translations__has_error=False,
    )
    first = (
        StringTranslation.objects.filter(
            translation_of__segments__source_id=OuterRef("source_id"),
            context_id=F("translation_of__segments__context_id"),
            locale_id=OuterRef("target_locale_id"),
            has_error=False,
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    # What wagtail-localize wrote into the version: a page's live revision (a draft it
    # saved is not served), or a snippet, which has no revisions.
    logs = TranslationLog.objects.filter(
        source_id=OuterRef("source_id"), locale_id=OuterRef("target_locale_id")
    ).order_by("-created_at")
    live_revision = Page.objects.filter(
        translation_key=OuterRef(OuterRef("source__object_id")),
        locale_id=OuterRef(OuterRef("target_locale_id")),
    ).values("live_revision_id")[:1]
    return translations.annotate(
        segments_total=Coalesce(Subquery(segments.annotate(n=Count("pk")).values("n")), 0),
        segments_done=Coalesce(
            Subquery(done.annotate(n=Count("pk", distinct=True)).values("n")), 0
        ),
        first_translated_at=Subquery(first),
        text_written_at=Coalesce(
            Subquery(logs.filter(revision_id=Subquery(live_revision)).values("created_at")[:1]),
            Subquery(logs.filter(revision__isnull=True).values("created_at")[:1]),
        ),
    )


def translations_of(keys: Iterable, locale_ids: Iterable[int]) -> dict[tuple, Translation]:
    """The enabled Translations that target ``locale_ids`` from the sources of the
    translation ``keys``, by (key, target locale id), with their progress
    (``with_progress``): one query."""
    found = with_progress(
        Translation.objects.filter(
            source__object_id__in=list(keys), target_locale_id__in=list(locale_ids), enabled=True
        )
    ).select_related("source")
    return {(t.source.object_id, t.target_locale_id): t for t in found}


def progress(translation: Translation) -> tuple[int, int]:
    """(total, done) of a translation read by ``translations_of``."""
    return translation.segments_total, translation.segments_done


def progress_of(translations: Iterable[Translation]) -> dict[int, tuple[int, int]]:
    """(total, done) of each translation by its id, as ``Translation.get_progress`` counts
    them: one query for any number of translations."""
    counted = with_progress(Translation.objects.filter(pk__in=[t.pk for t in translations]))
    return {t.pk: progress(t) for t in counted.only("pk", "source_id", "target_locale_id")}
