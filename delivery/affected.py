"""Which public URLs a content change affects, in every language."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex


def _page_urls(page: Page) -> set[str]:
    urls = set()
    for translation in page.get_translations(inclusive=True).specific():
        url = translation.get_full_url()
        if url:
            urls.add(url)
    return urls


def page_urls(page: Page) -> set[str]:
    """The page in every language, and the listing (its parent) in every language."""
    urls = _page_urls(page)
    parent = page.get_parent()
    if parent is not None and not parent.is_root():
        urls |= _page_urls(parent)
    return urls


def subtree_urls(page: Page) -> set[str]:
    """A page, its descendants and its parent listing, in every language (for moves)."""
    urls = page_urls(page)
    for descendant in page.get_descendants().specific():
        urls |= _page_urls(descendant)
    return urls


def pages_referencing(obj: Model) -> list[Page]:
    """Pages whose content names ``obj`` (via Wagtail's reference index)."""
    pages = []
    for source, _references in ReferenceIndex.get_references_to(obj).group_by_source_object():
        if isinstance(source, Page):
            pages.append(source)
    return pages


def snippet_urls(obj: Model) -> set[str]:
    """Every page that shows the snippet, in every language."""
    urls: set[str] = set()
    for page in pages_referencing(obj):
        urls |= _page_urls(page)
    return urls


def collection_urls(collection: Collection) -> set[str]:
    """Every page that shows an image or a document of the collection or of a collection
    below it, in every language: what its privacy changes."""
    collections = collection.get_descendants(inclusive=True)
    named = Q()
    for model in (get_image_model(), get_document_model()):
        ids = model.objects.filter(collection__in=collections).values_list("pk", flat=True)
        named |= Q(
            to_content_type=ContentType.objects.get_for_model(model),
            to_object_id__in=[str(pk) for pk in ids],
        )
    page_ids = ReferenceIndex.objects.filter(
        named, base_content_type=ContentType.objects.get_for_model(Page)
    ).values_list("object_id", flat=True)
    urls: set[str] = set()
    for page in Page.objects.filter(pk__in=[int(pk) for pk in page_ids]):
        urls |= _page_urls(page)
    return urls
