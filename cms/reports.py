"""The admin report of translation work: what is left, per object and language.

Built from wagtail-localize's own data. For every page (live) and translatable snippet in
the default language, and every other content language:

- **never translated**: no version in that language, or one that holds only the source's
  words (no segment of its translation done: the importer's stubs, a translation just
  started);
- **N of M segments untranslated** (and **outdated since** the source's change, once some
  were translated): the source changed since, or the work is under way;
- **translated, not published**: every segment is done, but the page has a newer draft
  than its live version, or was never published.

Up-to-date translations are not listed, so the report empties as the work gets done.
A publish of a source updates its wagtail-localize copy at once (cms.translation_sync), so
a change shows here without "Sync translated pages".
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import path, reverse
from django.utils import formats, timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.models import get_snippet_models

from .translation_status import Status, progress, status, translations_of


@dataclass
class Waiting:
    """One object in one language that still needs its translators."""

    pk: str
    title: str
    kind: str
    language: str
    source_title: str
    status: str
    edit_url: str


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _described(found: Status) -> str:
    if found.state == "outdated":
        left = f"{found.untranslated} of {found.total} segments untranslated"
        return f"outdated since {_when(found.outdated_since)}: {left}"
    if found.state == "not published":
        return "translated, not published"
    return found.state


def _translatable_models() -> list[type]:
    snippets = [m for m in get_snippet_models() if issubclass(m, TranslatableMixin)]
    return [Page, *snippets]


def translation_work(user) -> list[Waiting]:
    """Every object and language with translation work left, by language, kind and title."""
    finder = AdminURLFinder(user)
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if default is None:
        return []
    codes = [
        code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES if code != default.language_code
    ]
    targets = list(Locale.objects.filter(language_code__in=codes))
    rows = []
    for model in _translatable_models():
        sources = model.objects.filter(locale=default)
        if model is Page:
            sources = sources.filter(live=True, depth__gt=1).specific()
        sources = list(sources)
        keys = [obj.translation_key for obj in sources]
        others = model.objects.filter(translation_key__in=keys).exclude(locale=default)
        if model is Page:
            others = others.specific()
        versions = {(obj.translation_key, obj.locale_id): obj for obj in others}
        translations = translations_of(keys, [locale.pk for locale in targets])
        for source in sources:
            for locale in targets:
                target = versions.get((source.translation_key, locale.pk))
                translation = translations.get((source.translation_key, locale.pk))
                if translation is None and target is None:
                    found = "never translated"
                else:
                    progress_ = progress(translation) if translation else (0, 0)
                    found = _described(status(target, translation, progress_))
                if not found:
                    continue
                shown = target or source
                rows.append(
                    Waiting(
                        pk=f"{shown._meta.label_lower}:{shown.pk}:{locale.language_code}",
                        title=str(shown),
                        kind=str(source._meta.verbose_name),
                        language=locale.get_display_name(),
                        source_title=str(source),
                        status=found,
                        edit_url=finder.get_edit_url(shown) or "",
                    )
                )
    return sorted(rows, key=lambda r: (r.language, r.kind, r.source_title, r.title))


class TranslationWorkView(ReportView):
    """Pages and snippets whose translation is missing, outdated or not published."""

    page_title = "Waiting for translation"
    header_icon = "globe"
    index_url_name = "waiting_for_translation"
    index_results_url_name = "waiting_for_translation_results"
    columns = [
        TitleColumn("title", label="Translation", get_url=lambda row: row.edit_url),
        Column("language", label="Language"),
        Column("kind", label="Type"),
        Column("source_title", label="Source"),
        Column("status", label="Status"),
    ]
    list_export = ["title", "language", "kind", "source_title", "status", "edit_url"]

    def get_queryset(self):
        return translation_work(self.request.user)


def urls():
    return [
        path(
            "reports/waiting-for-translation/",
            TranslationWorkView.as_view(),
            name="waiting_for_translation",
        ),
        path(
            "reports/waiting-for-translation/results/",
            TranslationWorkView.as_view(results_only=True),
            name="waiting_for_translation_results",
        ),
    ]


def menu_item() -> MenuItem:
    return MenuItem(
        "Waiting for translation",
        reverse("waiting_for_translation"),
        name="waiting-for-translation",
        icon_name="globe",
        order=1200,
    )
