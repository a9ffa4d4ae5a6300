"""Request-scoped batch loading: the cost of a query does not grow with pages or blocks.

Resolvers hand the pages they return to the loader. The first time any of those pages'
content is needed (body, header image, collaborators...), the loader deserialises every
pending page's StreamFields with Wagtail's own ``StreamBlock.bulk_to_python``, twice:

1. collecting: the chooser blocks (``blocks.choosers``) report the ids they hold;
2. the loader reads each model once, through its type's visibility hook
   (``graphql_api.hooks.visible``): the snippets first (with their translations in the
   pages' languages), then the images (the snippets' logos too), documents and pages;
3. resolving: the same call again, and the chooser blocks take their objects from what
   was loaded; a hidden or missing object is None, as Wagtail gives for a deleted one.

This is a DataLoader that works under WSGI: every object is request-scoped, and nothing is
kept after the request.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Prefetch, Q
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page, TranslatableMixin

from blocks.choosers import resolving_with
from contact.models import ContactFormPage
from delivery.models import ImagePlaceholder

from .hooks import visible
from .presets import ALL_SPECS

if TYPE_CHECKING:
    import strawberry

    from .visibility import Visibility


def mark_draft(page: Page) -> Page:
    """Mark a page object that holds a draft (a preview)."""
    page.api_draft = True
    return page


# Page models a chooser may target whose page is shown in place (CallToActionBlock.form):
# when one is shown, read in full with the named child rows in their order, for every such
# page of the answer at once (ContentLoader.whole). Otherwise chosen pages need only their
# URL, from the base row.
WHOLE_PAGES: dict[type[Page], tuple[str, str]] = {ContactFormPage: ("form_fields", "sort_order")}


class MadeRendition(NamedTuple):
    """A rendition as the answer uses it: its row's columns, without a model instance (an
    answer reads every preset's renditions of each of its images, and shows a few)."""

    filter_spec: str
    file: str
    width: int
    height: int
    focal_point_key: str

    @property
    def url(self) -> str:
        """The file's URL, as ``Rendition.url`` gives it: from the rendition storage."""
        return _rendition_storage().url(self.file)


@cache
def _rendition_storage() -> Any:
    return get_image_model().get_rendition_model()._meta.get_field("file").storage


def _kind(model: type) -> type:
    """Ids of a model are grouped under its concrete base: Page for every page type."""
    if issubclass(model, Page):
        return Page
    return model


@cache
def _columns(model: type) -> tuple[tuple[str, ...], int]:
    """The attribute names of ``model``'s columns, in the order ``from_db`` takes them, and
    where its primary key is among them."""
    fields = model._meta.concrete_fields
    return tuple(f.attname for f in fields), fields.index(model._meta.pk)


def _rows_by_pk(model: type, queryset) -> dict[int, tuple]:
    names, pk_at = _columns(model)
    return {row[pk_at]: row for row in queryset.order_by().values_list(*names)}


def _built(model: type, row: tuple) -> Any:
    """A new object of ``model`` from a kept row: this request's own."""
    return model.from_db(DEFAULT_DB_ALIAS, _columns(model)[0], row)


@cache
def _image_columns(model: type) -> tuple[str, ...]:
    """The attribute names of ``model``'s foreign keys to images (a page's pictures)."""
    image_model = get_image_model()
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if getattr(field, "related_model", None) is image_model
    )


@cache
def parsed_filter(spec: str) -> Filter:
    """Wagtail's filter for one of the presets' specs, parsed once per process (the specs
    are the fixed ALL_SPECS; a filter holds its parsed operations, nothing of an image)."""
    return Filter(spec=spec)


def _stream_fields(page: Page) -> list[StreamField]:
    return [f for f in page._meta.get_fields() if isinstance(f, StreamField)]


class _Collect:
    """Pass 1: remember the ids every chooser block holds; give no objects yet."""

    def __init__(self, wanted: dict[type, set], whole: dict[type, set]) -> None:
        self.wanted = wanted
        self.whole = whole

    def objects(self, model: type, ids: list[Any]) -> list[Any]:
        found = self.wanted[_kind(model)]
        for pk in ids:
            if pk is not None:
                found.add(pk)
        if model in WHOLE_PAGES:
            self.whole[model].update(pk for pk in ids if pk is not None)
        return [None] * len(ids)


class _Resolve:
    """Pass 2: give the loaded objects, snippets in the language of the pages being built."""

    def __init__(self, loader: ContentLoader, locale_id: int) -> None:
        self.loader = loader
        self.locale_id = locale_id

    def objects(self, model: type, ids: list[Any]) -> list[Any]:
        result, seen = [], set()
        for pk in ids:
            obj = self.loader.chosen(model, pk, self.locale_id)
            if obj is not None and id(obj) in seen:
                obj = copy.copy(obj)  # as Wagtail does: one instance per place
            if obj is not None:
                seen.add(id(obj))
            result.append(obj)
        return result


class ContentLoader:
    """Loads what the pages of one request point to, each model once."""

    def __init__(self, visibility: Visibility) -> None:
        self.visibility = visibility
        self._pending: dict[int, Page] = {}
        self._built: set[int] = set()
        self._wanted: dict[type, set] = defaultdict(set)
        self._whole: dict[type, set] = defaultdict(set)
        self._whole_loaded: dict[type, dict[int, Any]] = defaultdict(dict)
        self._loaded: dict[type, dict[int, Any]] = defaultdict(dict)
        self._translated: dict[type, dict[tuple[str, int], Any]] = defaultdict(dict)
        self._page_locales: set[int] = set()
        self._renditions: dict[int, list[Any]] = {}
        self._current_renditions: dict[int, dict[str, Any]] = {}
        self._placeholders: dict[int, list[tuple[str, str]]] = {}
        self._related_pending: dict[int, Page] = {}
        self._translations: dict[int, list[Page]] = {}
        self._crumbs: dict[int, list[Page]] = {}

    # Pages -----------------------------------------------------------------------------

    def add_pages(self, pages: Iterable[Page]) -> None:
        """Register pages a resolver returns, so their content is loaded together."""
        for page in pages:
            if id(page) not in self._built:
                self._pending[id(page)] = page
            # Other objects with streams (menus) have no translations or ancestors here.
            if isinstance(page, Page) and page.pk not in self._translations:
                self._related_pending[page.pk] = page

    def prepare(self, info: strawberry.Info, page: Page) -> None:
        """Build the streams of ``page`` and of every page registered with it."""
        if id(page) in self._built:
            return
        self.add_pages([page])
        pages = list(self._pending.values())
        self._pending = {}
        self._built.update(id(p) for p in pages)
        collect = _Collect(self._wanted, self._whole)
        with resolving_with(collect):
            for field, group in self._by_field(pages):
                field.stream_block.bulk_to_python([self._raw(p, field) for p in group])
        for page_ in pages:
            self._page_locales.add(page_.locale_id)
            self.want_images(getattr(page_, name, None) for name in _image_columns(type(page_)))
        self._load(info)
        for field, group in self._by_field(pages):
            by_locale: dict[int, list[Page]] = defaultdict(list)
            for page_ in group:
                by_locale[page_.locale_id].append(page_)
            for locale_id, same in by_locale.items():
                with resolving_with(_Resolve(self, locale_id)):
                    values = field.stream_block.bulk_to_python([self._raw(p, field) for p in same])
                for page_, value in zip(same, values, strict=True):
                    # Model helpers (ServicePage.collaborators) read the field: they read
                    # this value.
                    setattr(page_, field.attname, value)

    @staticmethod
    def _by_field(pages: list[Page]) -> list[tuple[StreamField, list[Page]]]:
        groups: dict[tuple[type, str], tuple[StreamField, list[Page]]] = {}
        for page in pages:
            for field in _stream_fields(page):
                key = (type(page), field.name)
                groups.setdefault(key, (field, []))[1].append(page)
        return list(groups.values())

    @staticmethod
    def _raw(page: Page, field: StreamField) -> list:
        value = getattr(page, field.attname)
        return list(value.raw_data) if value is not None else []

    # Objects ---------------------------------------------------------------------------

    def _load(self, info: strawberry.Info) -> None:
        image_model, document_model = get_image_model(), get_document_model()
        # Snippets first: their logos are images, loaded with all the others below.
        for kind in [k for k in list(self._wanted) if k not in (image_model, document_model, Page)]:
            self._load_snippets(info, kind)
        for kind in (document_model, Page, image_model):
            ids = self._missing(kind)
            if not ids:
                continue
            if kind is Page:
                # A linked page only needs its URL: the base row, as its specific class.
                # Kept by id: unordered, which spares Django compiling the default order.
                queryset = visible(info, kind.objects.filter(pk__in=ids)).order_by()
                found = {obj.pk: obj for obj in queryset.specific(defer=True)}
            else:
                found = self._media(info, kind, ids)
            for pk in ids:
                self._loaded[kind][pk] = found.get(pk)

    @staticmethod
    def _media(info: strawberry.Info, model: type, ids: list[int]) -> dict[int, Any]:
        """Visible images or documents by id, read through their visibility hook."""
        return {obj.pk: obj for obj in visible(info, model.objects.filter(pk__in=ids)).order_by()}

    def whole(self, info: strawberry.Info, page: Page) -> Page | None:
        """A chosen page of a WHOLE_PAGES model, read in full with its rows (None when not
        visible): every such page the answer's streams chose is read at the same time,
        once, and only when one of them is shown (a call to action's ``form``)."""
        model = type(page)
        if page.pk not in self._whole_loaded[model]:
            self._load_whole_pages(info, model, {page.pk})
        return self._whole_loaded[model].get(page.pk)

    def _load_whole_pages(self, info: strawberry.Info, model: type[Page], also: set) -> None:
        loaded = self._whole_loaded[model]
        ids = sorted({int(pk) for pk in (self._whole[model] | also)} - set(loaded))
        self._whole[model] = set()
        if not ids:
            return
        relation, order = WHOLE_PAGES[model]
        rows = getattr(model, relation).rel.related_model
        pages = list(
            visible(info, model.objects.filter(pk__in=ids)).prefetch_related(
                Prefetch(relation, queryset=rows.objects.order_by(order, "pk"))
            )
        )
        found = {page.pk: page for page in pages}
        for pk in ids:
            loaded[pk] = found.get(pk)
        self.want_images(
            getattr(page, name) for page in pages for name in _image_columns(type(page))
        )

    def _missing(self, kind: type) -> list[int]:
        ids = set()
        for pk in self._wanted[kind]:
            try:
                ids.add(int(pk))
            except (TypeError, ValueError):
                continue
        return sorted(i for i in ids if i not in self._loaded[kind])

    def _load_snippets(self, info: strawberry.Info, model: type) -> None:
        ids = self._missing(model)
        if not ids:
            return
        translatable = issubclass(model, TranslatableMixin)
        # Every visible language version of each chosen snippet, the chosen ones among
        # them: a handful of rows more than the chosen ones and the versions in the pages'
        # languages, for a query that is much cheaper to build than that OR.
        queryset = model.objects.filter(pk__in=ids)
        if translatable:
            keys = model.objects.filter(pk__in=ids).values("translation_key")
            queryset = model.objects.filter(translation_key__in=keys)
        found: dict[int, Any] = {obj.pk: obj for obj in visible(info, queryset).order_by()}
        objects = list(found.values())
        if translatable:
            locale_ids = set(self._page_locales)
            if self.visibility.default_locale is not None:
                locale_ids.add(self.visibility.default_locale.pk)
            for obj in objects:
                self._translated[model][(obj.translation_key, obj.locale_id)] = obj
            chosen = set(ids)
            shown = [obj for obj in objects if obj.pk in chosen or obj.locale_id in locale_ids]
        else:
            shown = objects
        for pk in ids:
            # A chosen snippet that is not visible is in no one's versions: None.
            self._loaded[model][pk] = found.get(pk)
        self.want_images(getattr(obj, "logo_id", None) for obj in shown)

    def chosen(self, model: type, pk: Any, locale_id: int) -> Any:
        """The loaded object a chooser holds, in ``locale_id`` where it is a snippet."""
        kind = _kind(model)
        try:
            obj = self._loaded[kind].get(int(pk))
        except (TypeError, ValueError):
            return None
        if obj is None or kind is Page or not isinstance(obj, TranslatableMixin):
            return obj
        return self.translated(obj, locale_id)

    def translated(self, obj: Any, locale_id: int) -> Any:
        """A snippet in ``locale_id``, else the default language, else as chosen."""
        versions = self._translated[_kind(type(obj))]
        default = self.visibility.default_locale
        return (
            versions.get((obj.translation_key, locale_id))
            or (default and versions.get((obj.translation_key, default.pk)))
            or obj
        )

    # Images -----------------------------------------------------------------------------

    def want_images(self, ids: Iterable[int | None]) -> None:
        self._wanted[get_image_model()].update(i for i in ids if i)

    def image(self, info: strawberry.Info, pk: int | None) -> Any:
        """A visible image by id, or None; loads every image wanted so far with it."""
        if not pk:
            return None
        kind = get_image_model()
        self._wanted[kind].add(pk)
        ids = self._missing(kind)
        if ids:
            found = self._media(info, kind, ids)
            for missing in ids:
                self._loaded[kind][missing] = found.get(missing)
        return self._loaded[kind].get(pk)

    def renditions(self, image: Any) -> dict[str, Any]:
        """The made renditions of ``image`` for its current focal point, by filter spec.

        The renditions of every image loaded so far are read with it, in one query; each
        image's are sorted by focal point once per request (an image is one row, whatever
        the places that show it).
        """
        current = self._current_renditions.get(image.pk)
        if current is None:
            if image.pk not in self._renditions:
                self._read_made(image, self._renditions, self._read_renditions)
            current = self._current_renditions[image.pk] = {
                rendition.filter_spec: rendition
                for rendition in self._renditions[image.pk]
                if rendition.focal_point_key
                == parsed_filter(rendition.filter_spec).get_cache_key(image)
            }
        return current

    def placeholder(self, image: Any) -> str | None:
        """The placeholder the worker made for ``image``'s current file, or None.

        The placeholders of every image loaded so far are read with it, in one query.
        """
        if image.pk not in self._placeholders:
            self._read_made(image, self._placeholders, self._read_placeholders)
        for file_hash, data_uri in self._placeholders[image.pk]:
            if file_hash == (image.file_hash or ""):
                return data_uri
        return None

    def _read_made(self, image: Any, into: dict[int, list], read) -> None:
        ids = {image.pk} | {
            pk for pk, other in self._loaded[get_image_model()].items() if other is not None
        }
        ids -= into.keys()
        found: dict[int, list] = {pk: [] for pk in ids}
        for image_id, value in read(sorted(ids)):
            found[image_id].append(value)
        into.update(found)

    @staticmethod
    def _read_renditions(ids: list[int]) -> Iterable[tuple[int, MadeRendition]]:
        rendition_model = get_image_model().get_rendition_model()
        made = rendition_model.objects.filter(image_id__in=ids, filter_spec__in=ALL_SPECS)
        return (
            (image_id, MadeRendition(*row))
            for image_id, *row in made.order_by().values_list("image_id", *MadeRendition._fields)
        )

    @staticmethod
    def _read_placeholders(ids: list[int]) -> Iterable[tuple[int, Any]]:
        rows = ImagePlaceholder.objects.filter(image_id__in=ids).order_by()
        return (
            (image_id, (file_hash, data_uri))
            for image_id, file_hash, data_uri in rows.values_list(
                "image_id", "file_hash", "data_uri"
            )
        )

    # Translations and breadcrumbs -------------------------------------------------------

    def _load_related(self, info: strawberry.Info) -> None:
        """Translations and ancestors of every registered page, in one query."""
        pending, self._related_pending = self._related_pending, {}
        if not pending:
            return
        step = Page.steplen
        keys = {p.translation_key for p in pending.values()}
        ancestors = {
            p.path[: step * depth] for p in pending.values() for depth in range(2, p.depth)
        }
        found = list(
            visible(info, Page.objects.filter(Q(translation_key__in=keys) | Q(path__in=ancestors)))
            .only("id", "title", "url_path", "locale_id", "translation_key", "path", "depth")
            .order_by()  # sorted below
        )
        order = {loc.pk: i for i, loc in enumerate(self.visibility.locales.values())}
        found.sort(key=lambda p: (order.get(p.locale_id, len(order)), p.path))
        by_path = {p.path: p for p in found}
        for pk, page in pending.items():
            self._translations[pk] = [
                other
                for other in found
                if other.translation_key == page.translation_key and other.pk != pk
            ]
            self._crumbs[pk] = [
                by_path[page.path[: step * depth]]
                for depth in range(2, page.depth)
                if page.path[: step * depth] in by_path
            ]

    def translations(self, info: strawberry.Info, page: Page) -> list[Page]:
        """The other visible language versions of ``page``."""
        if page.pk not in self._translations:
            self._related_pending[page.pk] = page
            self._load_related(info)
        return self._translations.get(page.pk, [])

    def breadcrumbs(self, info: strawberry.Info, page: Page) -> list[Page]:
        """The visible ancestors of ``page`` from its language's home page down."""
        if page.pk not in self._crumbs:
            self._related_pending[page.pk] = page
            self._load_related(info)
        return self._crumbs.get(page.pk, [])
