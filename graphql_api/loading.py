"""Request-scoped bulk loading: the cost of a query does not grow with pages or blocks.

Resolvers hand every page they return to the loader. The first time any of those pages'
content is needed (body, header image, collaborators...), the loader reads the raw JSON of
every pending page's StreamField, collects the ids of all snippets, images, documents and
pages the blocks point to, loads each model once (through the visibility rules), then builds
each page's StreamValue from those objects. Wagtail's own lazy StreamValue would run one
query per stream and chooser field instead.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, prefetch_related_objects
from wagtail.blocks import (
    Block,
    ChooserBlock,
    ListBlock,
    StaticBlock,
    StreamBlock,
    StreamValue,
    StructBlock,
)
from wagtail.blocks.list_block import ListValue
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, TranslatableMixin

from .presets import ALL_SPECS
from .visibility import Visibility

IMAGE, DOCUMENT, PAGE = "image", "document", "page"


def mark_draft(page: Page) -> Page:
    """Mark a page object that holds a draft (a preview): its content is never shared."""
    page._civic_draft = True
    return page


def is_draft(page: Page) -> bool:
    return getattr(page, "_civic_draft", False)


def _kind(model: type) -> Any:
    """How ids of ``model`` are grouped for loading: images, documents, pages or a snippet model."""
    if issubclass(model, get_image_model()):
        return IMAGE
    if issubclass(model, get_document_model()):
        return DOCUMENT
    if issubclass(model, Page):
        return PAGE
    return model


def _list_items(raw: Any) -> list[tuple[Any, str | None]]:
    """The (value, id) pairs of a ListBlock's raw data, in the old or the new format."""
    items = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            items.append((item["value"], item.get("id")))
        else:
            items.append((item, None))
    return items


def collect_refs(block: Block, raw: Any, found: dict[Any, set]) -> None:
    """Add to ``found`` the ids of every object the raw value of ``block`` points to."""
    if raw is None:
        return
    if isinstance(block, ChooserBlock):
        if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()):
            found[_kind(block.model_class)].add(int(raw))
    elif isinstance(block, StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                collect_refs(child, raw.get(name), found)
    elif isinstance(block, ListBlock):
        for value, _id in _list_items(raw):
            collect_refs(block.child_block, value, found)
    elif isinstance(block, StreamBlock):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                collect_refs(child, item.get("value"), found)


class ContentLoader:
    """Loads what the pages of one request point to, each model once."""

    def __init__(self, visibility: Visibility) -> None:
        self.visibility = visibility
        self._pending: list[Page] = []
        self._wanted: dict[Any, set[int]] = defaultdict(set)
        self._loaded: dict[Any, dict[int, Any]] = defaultdict(dict)
        self._collaborator_locales: set[int] = set()
        self._translated: dict[Any, dict[tuple[str, int], Any]] = defaultdict(dict)
        self._streams: dict[tuple[int, str], StreamValue] = {}
        self._rendition_ready: set[int] = set()
        self._translations_pending: dict[int, Page] = {}
        self._translations: dict[int, list[Page]] = {}
        self._crumbs_pending: dict[int, Page] = {}
        self._crumbs: dict[int, list[Page]] = {}

    # Pages -----------------------------------------------------------------------------

    def add_pages(self, pages: Iterable[Page]) -> None:
        """Register pages a resolver returns, so their content is loaded together."""
        for page in pages:
            if page.pk not in self._translations and page.pk not in self._translations_pending:
                self._translations_pending[page.pk] = page
            if page.pk not in self._crumbs and page.pk not in self._crumbs_pending:
                self._crumbs_pending[page.pk] = page
            self._pending.append(page)

    def stream(self, page: Page, field_name: str) -> StreamValue:
        """The page's StreamField value, built from bulk-loaded objects."""
        self._prepare()
        return self._streams[self._stream_key(page, field_name)]

    def _prepare(self) -> None:
        if not self._pending:
            return
        pages, self._pending = self._pending, []
        # A live page's built body is kept per generation and page dates (see
        # graphql_api.generation); a draft shown by a preview token never is.
        kept = self.visibility.page_entries()
        fields: list[tuple[Page, StreamField, tuple | None]] = []
        for page in pages:
            draft = is_draft(page)
            for field in page._meta.get_fields():
                if not isinstance(field, StreamField) or self._stream_key(page, field.name) in (
                    self._streams
                ):
                    continue
                shared_key = (
                    None
                    if draft
                    else (
                        "stream",
                        self.visibility.site_pk,
                        page.pk,
                        field.name,
                        self._stored_digest(page, field),
                    )
                )
                if shared_key in kept:
                    self._install(page, field.name, kept[shared_key])
                    continue
                fields.append((page, field, shared_key))
                collect_refs(field.stream_block, self._raw(page, field), self._wanted)
            image_id = getattr(page, "image_id", None)
            if image_id:
                self._wanted[IMAGE].add(image_id)
            self._collaborator_locales.add(page.locale_id)
        self._load_all()
        for page, field, shared_key in fields:
            value = self._build(field.stream_block, self._raw(page, field), page.locale_id)
            self._install(page, field.name, value)
            if shared_key is not None:
                kept[shared_key] = value

    def _stored_digest(self, page: Page, field: StreamField) -> str:
        """A digest of the field's stored JSON, worked out once per page object.

        Part of the key a built body is kept under: a request that read the row just after
        a publish committed, while the generation renewed at the start of the publish is
        still current, must not take the body built from the row before it.
        """
        memo = page.__dict__.setdefault("_civic_stored_digests", {})
        if field.name not in memo:
            text = json.dumps(self._raw(page, field), sort_keys=True, default=str)
            memo[field.name] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        return memo[field.name]

    @staticmethod
    def _stream_key(page: Page, field_name: str) -> tuple:
        return (page.pk, field_name, is_draft(page))

    def _install(self, page: Page, field_name: str, value: StreamValue) -> None:
        # Model helpers (ServicePage.collaborators) read page.body: give them this value.
        page.__dict__[field_name] = value
        page.__dict__.pop("collaborators", None)
        self._streams[self._stream_key(page, field_name)] = value

    @staticmethod
    def _raw(page: Page, field: StreamField) -> list:
        value = getattr(page, field.name)
        return list(value.raw_data) if value is not None else []

    # Objects ----------------------------------------------------------------------------

    def _load_all(self) -> None:
        # Snippets first: their logos are images, loaded with all the others below.
        for kind in [k for k in list(self._wanted) if k not in (IMAGE, DOCUMENT, PAGE)]:
            self._load_snippets(kind)
        for kind in (DOCUMENT, PAGE, IMAGE):
            self._load_kind(kind)

    def _missing(self, kind: Any) -> list[int]:
        loaded = self._loaded[kind]
        return sorted(i for i in self._wanted[kind] if i not in loaded)

    def _load_kind(self, kind: str) -> None:
        ids = self._missing(kind)
        if kind in (IMAGE, DOCUMENT):
            # Images and documents change only with the content generation: each process
            # reads one once per generation (see graphql_api.generation).
            store = self.visibility.store
            kept = [pk for pk in ids if (kind, pk) in store]
            for pk in kept:
                self._loaded[kind][pk] = store.get((kind, pk))
            ids = [pk for pk in ids if pk not in self._loaded[kind]]
        if not ids:
            return
        if kind == IMAGE:
            queryset = self.visibility.images()
        elif kind == DOCUMENT:
            queryset = self.visibility.documents()
        else:
            queryset = self.visibility.pages().specific()
        found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
        for pk in ids:
            self._loaded[kind][pk] = found.get(pk)
            if kind in (IMAGE, DOCUMENT):
                self.visibility.store.put((kind, pk), found.get(pk))

    def _load_snippets(self, model: type) -> None:
        ids = self._missing(model)
        if not ids:
            return
        if issubclass(model, TranslatableMixin):
            locale_ids = set(self._collaborator_locales)
            if self.visibility.default_locale is not None:
                locale_ids.add(self.visibility.default_locale.pk)
            objects = self._snippets_with_translations(model, ids, sorted(locale_ids))
            for obj in objects:
                self._translated[model][(obj.translation_key, obj.locale_id)] = obj
        else:
            objects = list(model.objects.filter(pk__in=ids))
        found = {obj.pk: obj for obj in objects}
        for pk in ids:
            self._loaded[model][pk] = found.get(pk)
        for obj in objects:
            logo_id = getattr(obj, "logo_id", None)
            if logo_id:
                self._wanted[IMAGE].add(logo_id)

    def _snippets_with_translations(
        self, model: type, ids: list[int], locale_ids: list[int]
    ) -> list[Any]:
        """The snippets and their versions in the given languages, once per generation."""
        key = ("snippets", model._meta.label, tuple(ids), tuple(locale_ids))
        objects = self.visibility.store.get(key)
        if objects is None:
            keys = model.objects.filter(pk__in=ids).values("translation_key")
            objects = list(
                model.objects.filter(
                    Q(pk__in=ids) | Q(translation_key__in=keys, locale_id__in=locale_ids)
                )
            )
            self.visibility.store.put(key, objects)
        return objects

    def _lookup(self, model: type, pk: Any, locale_id: int) -> Any:
        kind = _kind(model)
        try:
            obj = self._loaded[kind].get(int(pk))
        except (TypeError, ValueError):
            return None
        if obj is None or not isinstance(obj, TranslatableMixin) or kind in (PAGE, IMAGE):
            return obj
        # A snippet is shown in the page's language, else the default language.
        translated = self._translated[kind]
        default = self.visibility.default_locale
        return (
            translated.get((obj.translation_key, locale_id))
            or (default and translated.get((obj.translation_key, default.pk)))
            or obj
        )

    def _build(self, block: Block, raw: Any, locale_id: int) -> Any:
        """The native value of ``block`` for ``raw``, taking chosen objects from the loader."""
        if isinstance(block, ChooserBlock):
            return None if raw is None else self._lookup(block.model_class, raw, locale_id)
        if isinstance(block, StructBlock):
            raw = raw if isinstance(raw, dict) else {}
            return block._to_struct_value(
                [
                    (
                        name,
                        self._build(child, raw[name], locale_id)
                        if name in raw
                        else child.get_default(),
                    )
                    for name, child in block.child_blocks.items()
                ]
            )
        if isinstance(block, ListBlock):
            return ListValue(
                block,
                bound_blocks=[
                    ListValue.ListChild(
                        block.child_block, self._build(block.child_block, value, locale_id), id=i
                    )
                    for value, i in _list_items(raw)
                ],
            )
        if isinstance(block, StreamBlock):
            return StreamValue(
                block,
                [
                    (
                        item["type"],
                        self._build(block.child_blocks[item["type"]], item.get("value"), locale_id),
                        item.get("id"),
                    )
                    for item in raw or []
                    if item.get("type") in block.child_blocks
                ],
            )
        if isinstance(block, StaticBlock):
            return None
        return block.to_python(raw)

    # Images -----------------------------------------------------------------------------

    def image(self, pk: int | None) -> Any:
        """A visible image by id, or None."""
        if not pk:
            return None
        self._prepare()
        self._wanted[IMAGE].add(pk)
        self._load_kind(IMAGE)
        return self._loaded[IMAGE].get(pk)

    def want_images(self, ids: Iterable[int | None]) -> None:
        self._wanted[IMAGE].update(i for i in ids if i)

    def prefetch_renditions(self) -> None:
        """Fetch the existing renditions of every preset for all loaded images, in one query."""
        images = [
            image
            for pk, image in self._loaded[IMAGE].items()
            if image is not None and pk not in self._rendition_ready
        ]
        if not images:
            return
        rendition_model = get_image_model().get_rendition_model()
        prefetch_related_objects(
            images,
            Prefetch(
                "renditions", queryset=rendition_model.objects.filter(filter_spec__in=ALL_SPECS)
            ),
        )
        self._rendition_ready.update(image.pk for image in images)

    def rendition_ready(self, image: Any) -> None:
        if image.pk not in self._rendition_ready:
            self.prefetch_renditions()

    # Snippets ---------------------------------------------------------------------------

    def snippets(self, objects: Iterable[Any]) -> list[Any]:
        """Register snippets a resolver returns (their logos load with the other images)."""
        objects = list(objects)
        self.want_images(getattr(obj, "logo_id", None) for obj in objects)
        return objects

    # Translations and breadcrumbs -------------------------------------------------------

    def _kept_or_pending(self, name: str, pending: dict[int, Page], done: dict) -> dict:
        """Fill ``done`` from what the generation keeps; the pages still to look up."""
        kept = self.visibility.page_entries()
        site_pk = self.visibility.site_pk
        missing = {}
        for pk, page in pending.items():
            key = (name, site_pk, pk)
            if key in kept:
                done[pk] = kept[key]
            else:
                missing[pk] = page
        return missing

    def _keep(self, name: str, results: dict[int, list[Page]]) -> None:
        kept = self.visibility.page_entries()
        for pk, pages in results.items():
            kept[(name, self.visibility.site_pk, pk)] = pages

    def translations(self, page: Page) -> list[Page]:
        """The other visible language versions of ``page``."""
        if self._translations_pending:
            pending = self._kept_or_pending(
                "translations", self._translations_pending, self._translations
            )
            self._translations_pending = {}
            if pending:
                keys = {p.translation_key for p in pending.values()}
                found = list(
                    self.visibility.pages()
                    .filter(translation_key__in=keys)
                    .only("id", "title", "url_path", "locale_id", "translation_key", "path")
                )
                order = {loc.pk: i for i, loc in enumerate(self.visibility.locales.values())}
                found.sort(key=lambda p: order.get(p.locale_id, len(order)))
                results = {
                    pk: [
                        other
                        for other in found
                        if other.translation_key == p.translation_key and other.pk != pk
                    ]
                    for pk, p in pending.items()
                }
                self._translations.update(results)
                self._keep("translations", results)
        return self._translations.get(page.pk, [])

    def breadcrumbs(self, page: Page) -> list[Page]:
        """The visible ancestors of ``page`` from its language's home page down."""
        if self._crumbs_pending:
            pending = self._kept_or_pending("breadcrumbs", self._crumbs_pending, self._crumbs)
            self._crumbs_pending = {}
            if pending:
                step = Page.steplen
                wanted = {
                    p.path[: step * depth]
                    for p in pending.values()
                    for depth in range(2, len(p.path) // step)
                }
                found = (
                    {
                        p.path: p
                        for p in self.visibility.pages()
                        .filter(path__in=wanted)
                        .only("id", "title", "url_path", "locale_id", "path", "depth")
                    }
                    if wanted
                    else {}
                )
                results = {
                    pk: [
                        found[p.path[: step * depth]]
                        for depth in range(2, len(p.path) // step)
                        if p.path[: step * depth] in found
                    ]
                    for pk, p in pending.items()
                }
                self._crumbs.update(results)
                self._keep("breadcrumbs", results)
        return self._crumbs.get(page.pk, [])

    def locale(self, locale_id: int) -> Locale | None:
        return self.visibility.locales_by_id.get(locale_id)
