"""The admin report of content waiting for translation.

Two things wait: what the importer flagged untranslated (a translation file without words
of its own, whose snippet shows the source's texts or whose page was synced as a draft) and
translated pages that were created as drafts and never published.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import path, reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail_localize.models import Translation

from .models import ImportRecord


@dataclass
class Waiting:
    """One page or snippet waiting for its translators."""

    pk: str
    title: str
    kind: str
    language: str
    source_title: str
    status: str
    edit_url: str


def _source_title(obj) -> str:
    model = type(obj)
    source = (
        model.objects.filter(
            translation_key=obj.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .exclude(pk=obj.pk)
        .first()
    )
    return str(source) if source is not None else ""


def _row(obj, finder: AdminURLFinder) -> Waiting:
    specific = getattr(obj, "specific", obj)
    if isinstance(specific, Page):
        status = "published with the source's words" if specific.live else "draft, never published"
    else:
        status = "shows the source's texts"
    return Waiting(
        pk=f"{specific._meta.label_lower}:{specific.pk}",
        title=str(specific),
        kind=str(specific._meta.verbose_name),
        language=specific.locale.get_display_name(),
        source_title=_source_title(specific),
        status=status,
        edit_url=finder.get_edit_url(specific) or "",
    )


def waiting_for_translation(user) -> list[Waiting]:
    """Untranslated imports and never-published draft translations, by language and title."""
    finder = AdminURLFinder(user)
    found: dict[tuple[int, int], object] = {}
    records = ImportRecord.objects.filter(untranslated=True).select_related("content_type")
    for record in records:
        model = record.content_type.model_class()
        obj = model.objects.filter(pk=record.object_id).first() if model else None
        if obj is not None:
            found[(record.content_type_id, obj.pk)] = obj
    translated_keys = Translation.objects.filter(enabled=True).values("source__object_id")
    drafts = (
        Page.objects.filter(
            live=False, first_published_at__isnull=True, translation_key__in=translated_keys
        )
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .specific()
    )
    for page in drafts:
        found[(page.content_type_id, page.pk)] = page
    rows = [_row(obj, finder) for obj in found.values()]
    return sorted(rows, key=lambda r: (r.language, r.kind, r.source_title, r.title))


class WaitingForTranslationView(ReportView):
    """Pages and snippets that exist in a language but still need their translators."""

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
        return waiting_for_translation(self.request.user)


def urls():
    return [
        path(
            "reports/waiting-for-translation/",
            WaitingForTranslationView.as_view(),
            name="waiting_for_translation",
        ),
        path(
            "reports/waiting-for-translation/results/",
            WaitingForTranslationView.as_view(results_only=True),
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
