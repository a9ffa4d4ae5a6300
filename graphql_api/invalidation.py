"""What can change a public answer, and the content generation every such change renews.

The generation is one token in the shared Django cache (Redis when REDIS_URL is set, so
every app server reads the same one; the embedded cache shared by the processes of one machine
otherwise). Cached API answers are keyed by the generation they were computed under, so
renewing it makes every older answer unreachable at once.

``REGISTRY`` declares, as data, every model and event that can change a public answer;
``connect()`` wires the signals from it and nothing else, and the test that runs the API's
queries checks that every table the API reads belongs to a model the registry (or
``UNWATCHED``, with its reason) names. Drafts, revisions, autosaves, previews, locks and
workflow steps that do not publish write only draft-side fields or rows the registry does
not watch, so they renew nothing: one editor typing leaves every cache warm.

Time is the other thing that changes an answer: a page becomes visible at its go-live date
and disappears at its expiry date, with no save. ``next_change(now)`` is the next such date
after ``now``; the response cache keys answers by it too and never keeps one past it. The
writer computes it at commit for the generation it has just set (``_prime_next_change``),
so that the first reader after a change need not.

A resolver whose answer must never be shared (a preview) marks its request with
``mark_uncacheable``; the response cache reads ``is_uncacheable`` after the view ran.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from django.apps import apps
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.db.models import Min, Q, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone

GENERATION_KEY = "civic:content-generation"
NEXT_CHANGE_PREFIX = "civic:next-change:"
# How long the next date computed under one generation is kept: an old generation's
# entry is never read again, this only bounds how long it lingers in the cache.
NEXT_CHANGE_TTL = 24 * 3600
_UNCACHEABLE = "_civic_uncacheable"
logger = logging.getLogger(__name__)


# The generation ---------------------------------------------------------------------------


def current_generation() -> str:
    """The token of the content as it is now; a new one if the cache lost it."""
    return _kept_or_new(GENERATION_KEY)


def _kept_or_new(key: str, kept: str | None = None) -> str:
    # Read first (unless ``kept`` was): a new token (os.urandom) is made only when the
    # cache lost the key.
    token = kept if kept is not None else cache.get(key)
    if token is None:
        token = cache.get_or_set(key, uuid.uuid4().hex, timeout=None)
    return token


def request_generation(request: HttpRequest) -> str:
    """The generation one request reads under: read once, then the same for the whole
    request. Read alone: a response-cache hit needs nothing else."""
    generation = getattr(request, "_civic_generation", None)
    if generation is None:
        generation = request._civic_generation = current_generation()
    return generation


def renew_generation() -> str:
    """Make every answer cached so far unreachable."""
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, timeout=None)
    return token


# Whether renewals are held (held_renewals) in this thread or task.
_held: ContextVar[bool] = ContextVar("civic_held_renewals", default=False)
# The widest reach of the changes made while renewals are held, announced when they end.
_held_reach: ContextVar[list | None] = ContextVar("civic_held_reach", default=None)


@contextmanager
def held_renewals() -> Iterator[None]:
    """Writes that renew nothing one by one, then one renewal when the block ends: for a
    run of many writes (an import, a fixture load), some of which send no signal (a
    ``QuerySet.update``). The renewal covers both tokens, and happens whether the block
    ends well or not (what it committed is public either way)."""
    token = _held.set(True)
    reached = _held_reach.set([])
    try:
        yield
    finally:
        changed = _held_reach.get()
        _held.reset(token)
        _held_reach.reset(reached)
        renew_after_commit(roots=True)
        if changed:
            # Many objects changed: the whole site, once.
            for listener in _listeners:
                listener(Reach.SITE, None, None)


def renew_after_commit(roots: bool = False) -> None:
    """Renew now, and again once the change is visible to other connections.

    The renewal at commit is the one that matters: a request that read the old
    content while the transaction ran may have cached it under the generation
    of that moment. The renewal at once keeps this connection's own reads fresh
    before the commit. ``roots``: the change may alter a site's root paths (below).
    """
    if _held.get():
        return
    renew_generation()
    transaction.on_commit(lambda: _at_commit(roots))


def _at_commit(roots: bool) -> None:
    # Wagtail keeps the sites' root paths in the shared cache, not under the generation,
    # and drops them when a site or root page is saved: before the commit, so a request
    # running meanwhile can put the old ones back. Dropped again here, for every change
    # that can alter them, and before the renewal: a request that reads the new token then
    # reads them from the database.
    if roots:
        from wagtail.models import Site

        Site.clear_site_root_paths_cache()
    _prime_next_change(renew_generation())


def _may_move_roots(sender: type[models.Model], instance=None) -> bool:
    """Whether a change to ``instance`` may alter a site's root paths: any change to a site,
    a language or the tree, and a save of a page that is a site root, a translation of one
    or an ancestor of either (its slug is part of a root's url_path). One query, on page
    saves only."""
    from wagtail.models import Locale, Page, Site

    if issubclass(sender, (Site, Locale)):
        return True
    if not issubclass(sender, Page):
        return False
    path = getattr(instance, "path", None)
    if not path:
        return True  # Not a tree node we can place: assume it may.
    roots = Site.objects.values("root_page__translation_key")
    return Page.objects.filter(translation_key__in=roots, path__startswith=path).exists()


# Answers that must not be shared ----------------------------------------------------------


def mark_uncacheable(request: HttpRequest | None) -> None:
    """Say that this request's answer must not be stored nor sent as public (a preview)."""
    if request is not None:
        setattr(request, _UNCACHEABLE, True)


def is_uncacheable(request: HttpRequest) -> bool:
    """Whether a resolver marked this request's answer with ``mark_uncacheable``."""
    return bool(getattr(request, _UNCACHEABLE, False))


# The registry ----------------------------------------------------------------------------


class Event(StrEnum):
    """What happens to a watched model, and which signal says so."""

    SAVE = "post_save"
    SETTING_SAVE = "post_save, unless it creates the setting's row with its defaults"
    LIVE_SAVE = "post_save, unless it writes only draft-side fields"
    DELETE = "post_delete"
    GROUPS = "m2m_changed"
    PUBLISH = "page_published"
    UNPUBLISH = "page_unpublished"
    MOVE = "post_page_move"
    TREE = "treebeard path_updated / nodes_deleted"
    SCHEDULE = "post_save of a revision that gets (or loses) approved_go_live_at"


class Reach(StrEnum):
    """Which public URLs a change to a watched model reaches: what its webhook names, so a
    static site rebuilds them (delivery.changes)."""

    PAGE = (
        "the page, by its own events (page.published, page.unpublished, page.moved, page.deleted)"
    )
    BELOW = "the page the row belongs to and every page below it, in every language"
    REFERENCING = "every page that shows the object (Wagtail's reference index)"
    COLLECTION = (
        "every page that shows an image or a document of the collection or of a collection "
        "below it (Wagtail's reference index)"
    )
    SITE = "every page: the whole site is rebuilt"
    NONE = "no URL by itself (said why in the entry's note)"


# Labels the registry resolves when the apps are loaded.
IMAGES = "<the image model (WAGTAILIMAGES_IMAGE_MODEL)>"
RENDITIONS = "<the image model's rendition model>"
DOCUMENTS = "<the document model (WAGTAILDOCS_DOCUMENT_MODEL)>"
SNIPPETS = "<every registered snippet model>"


@dataclass(frozen=True)
class Watched:
    """A model whose listed events renew the generation, and why it matters to readers.

    ``model`` is an ``app_label.ModelName`` label, ``app_label.ModelName.field`` for the
    table of a many-to-many field, or one of IMAGES, RENDITIONS, DOCUMENTS, SNIPPETS.
    A watched model covers its subclasses (every page type is a Page). ``reach`` says which
    public URLs its change affects, for the webhooks.
    """

    model: str
    events: tuple[Event, ...]
    note: str
    reach: Reach


@dataclass(frozen=True)
class Unwatched:
    """A model the API reads whose changes cannot change a public answer by themselves."""

    model: str
    note: str


REGISTRY: tuple[Watched, ...] = (
    Watched(
        "wagtailcore.Page",
        (
            Event.LIVE_SAVE,
            Event.DELETE,
            Event.PUBLISH,
            Event.UNPUBLISH,
            Event.MOVE,
            Event.TREE,
        ),
        "Every page type (standard pages and contact form pages included). The page row "
        "holds the live content: publish, unpublish, move "
        "(including sibling reordering, which treebeard does with path updates and no "
        "save), delete, and any save that writes live fields. Not drafts: save_revision, "
        "autosave, locking and workflow write only DRAFT_ONLY_FIELDS.",
        Reach.PAGE,
    ),
    Watched(
        "wagtailcore.Revision",
        (Event.SCHEDULE,),
        "Scheduling: publishing with a future go-live date on a live page only sets the "
        "revision's approved_go_live_at, which next_change() reads. Other revision saves "
        "(drafts, autosaves, workflow) renew nothing.",
        Reach.PAGE,
    ),
    Watched(
        "wagtailcore.PageViewRestriction",
        (Event.SAVE, Event.DELETE),
        "A restriction of any kind hides the page and every page below it.",
        Reach.BELOW,
    ),
    Watched(
        "wagtailcore.PageViewRestriction.groups",
        (Event.GROUPS,),
        "The groups a page restriction admits.",
        Reach.BELOW,
    ),
    Watched(
        "wagtailcore.CollectionViewRestriction",
        (Event.SAVE, Event.DELETE),
        "A restriction of any kind hides the images and documents of the collection and "
        "every collection below it.",
        Reach.COLLECTION,
    ),
    Watched(
        "wagtailcore.CollectionViewRestriction.groups",
        (Event.GROUPS,),
        "The groups a collection restriction admits.",
        Reach.COLLECTION,
    ),
    Watched(
        "wagtailcore.Collection",
        (Event.SAVE, Event.DELETE, Event.TREE),
        "Collections nest: Collection.move changes which restriction applies with tree "
        "path updates and no save (treebeard's path_updated is the only signal).",
        Reach.SITE,
    ),
    Watched(
        IMAGES,
        (Event.SAVE, Event.DELETE),
        "Images: title, alt text, file, focal point, collection (privacy). ",
        Reach.REFERENCING,
    ),
    Watched(
        RENDITIONS,
        (Event.DELETE,),
        "Renditions are made by the task worker; an answer read before they were made "
        "shows the original file and is kept nowhere. A deleted one may be named by a "
        "kept answer. Webhooks: none; the worker makes it again.",
        Reach.NONE,
    ),
    Watched(
        DOCUMENTS,
        (Event.SAVE, Event.DELETE),
        "Documents: title, file, collection (privacy).",
        Reach.REFERENCING,
    ),
    Watched(
        "wagtailcore.Site",
        (Event.SAVE, Event.DELETE),
        "Which site (hostname, port, root page) answers a request.",
        Reach.SITE,
    ),
    Watched(
        "wagtailcore.Locale",
        (Event.SAVE, Event.DELETE),
        "The content languages the API offers.",
        Reach.SITE,
    ),
    Watched(
        SNIPPETS,
        (Event.LIVE_SAVE, Event.DELETE),
        "Every registered snippet (today Collaborator, Member, ProjectState, and the site's "
        "texts and menus of each language: SiteTexts and Menu), including "
        "snippets registered later: the registry asks Wagtail at each signal. A snippet "
        "with drafts writes only DRAFT_ONLY_FIELDS when a draft is saved. Webhooks: the "
        "pages that show it (organisations have events of their own: collaborator.*); the "
        "snippets of SITE_WIDE_SNIPPETS are on every page: the whole site.",
        Reach.REFERENCING,
    ),
    *(
        Watched(
            label,
            (Event.SAVE, Event.DELETE),
            f"{what}: rows of the page's live content (the API follows them, and reads "
            "them the other way for reverse links). Publishing writes them with the page "
            "(which renews anyway); a draft save commits no row (modelcluster commits child "
            "relations only on a full save), so drafts renew nothing. A row saved or deleted "
            "outside a publish (a script, an import) changes an answer by itself. Webhooks: "
            "the page's publish names it; a row changed alone is named by no event.",
            Reach.NONE,
        )
        for label, what in (
            ("projects.ProjectService", "The services a project names"),
            ("projects.ProjectCategory", "The categories a project belongs to"),
            ("projects.ProjectMember", "The team members of a project"),
            ("projects.ProjectCollaborator", "The partner organisations of a project"),
            ("categories.CategoryService", "The services a category groups"),
            ("contact.ContactFormField", "The fields of a contact form"),
        )
    ),
    Watched(
        "sitewide.SocialSettings",
        (Event.SAVE, Event.DELETE),
        "The organisation's social links (`site { socialLinks }`, `seo { jsonLd }`), one "
        "setting for every language and site.",
        Reach.SITE,
    ),
    Watched(
        "delivery.FrontendSettings",
        (Event.SETTING_SAVE, Event.DELETE),
        "Where each site's frontend lives: the base of every absolute page URL "
        "(`seo { canonicalUrl alternates jsonLd }`, `paths { url }`). Not the row Wagtail "
        "creates empty the first time the setting is read (a preview in the frontend does): "
        "an empty URL answers what no row answered (CIVIC_FRONTEND_URL).",
        Reach.SITE,
    ),
    *(
        Watched(
            label,
            (Event.SAVE, Event.DELETE),
            f"{what}: where each language version stands in translation (`translation`) and "
            "whether a version never translated serves its source's language (`locale`), "
            "read by graphql_api.translations. A translator saving a segment changes how many "
            "are left, though the page's text changes only when its translation is published "
            "(a page event). Webhooks: none; the text of no page changes by itself.",
            Reach.NONE,
        )
        for label, what in (
            ("wagtail_localize.Translation", "A translation of a source into a language"),
            ("wagtail_localize.TranslationSource", "The source its translators work from"),
            ("wagtail_localize.StringSegment", "The texts a source offers its translators"),
            ("wagtail_localize.StringTranslation", "A text translated into a language"),
            (
                "wagtail_localize.TranslationLog",
                "When wagtail-localize wrote a translation into its version (which tells a "
                "copy of the source from a published translation)",
            ),
        )
    ),
    Watched(
        "wagtailredirects.Redirect",
        (Event.SAVE, Event.DELETE),
        "Redirects (`redirect(path:)`), made by editors in the admin or by the importer. "
        "Webhooks: none; a public site asks for the redirect of a path it has not built.",
        Reach.NONE,
    ),
)

# Snippets shown on every page (the interface texts, newsletter and contact details of a
# language; the header and footer menus): a change reaches the whole site (Reach.SITE).
SITE_WIDE_SNIPPETS = ("sitewide.SiteTexts", "sitewide.Menu")

# Not here on purpose: contact form submissions (wagtailforms.FormSubmission and
# contact.ContactUpload). submitForm writes them, but no public answer reads them, so a
# visitor sending a form renews nothing (tests/cache/test_invalidation_registry.py).
UNWATCHED: tuple[Unwatched, ...] = (
    Unwatched(
        "delivery.ImagePlaceholder",
        "Made by the task worker from an image's file (delivery.renditions), like its "
        "renditions; an answer read before it was made, or for another file, shows the "
        "neutral pixel and is kept nowhere.",
    ),
    Unwatched(
        "wagtail_localize.String",
        "A text as wagtail-localize keeps it, written once with the segments that name it "
        "(StringSegment, watched); counting the segments joins it, and it never changes.",
    ),
    Unwatched(
        "contenttypes.ContentType",
        "Which model a page row is: written by migrations, never by editors.",
    ),
    Unwatched(
        "wagtailsearch.IndexEntry",
        "The search index is rewritten from the page or snippet row by every save, "
        "drafts included (from the same live row, so the same words); it changes what "
        "search finds only when a watched row changes, and that save writes it in the "
        "same transaction (the indexing task runs at once), before the renewal at commit.",
    ),
    Unwatched(
        "wagtailsearch.SQLiteFTSIndexEntry",
        "The full-text table of the same index on SQLite, written with it.",
    ),
)

# Fields Wagtail writes when it saves a draft, a revision or an autosave, locks or unlocks,
# or runs a workflow step (wagtail/models: save_revision, _update_from_revision,
# LockableMixin, GroupApprovalTask.start). The public API reads none of them.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_id",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_by",
        "locked_by_id",
        "locked_at",
        "wagtail_admin_comments",
    }
)


def _resolve(label: str) -> type[models.Model] | None:
    """The model a registry label names; None for SNIPPETS, which is asked at each signal."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    if label == IMAGES:
        return get_image_model()
    if label == RENDITIONS:
        return get_image_model().get_rendition_model()
    if label == DOCUMENTS:
        return get_document_model()
    if label == SNIPPETS:
        return None
    app_label, model_name, *field = label.split(".")
    model = apps.get_model(app_label, model_name)
    if field:
        return model._meta.get_field(field[0]).remote_field.through
    return model


def _snippet_models() -> list[type[models.Model]]:
    from wagtail.snippets.models import get_snippet_models

    return list(get_snippet_models())


def events_for(
    model: type[models.Model], registry: tuple[Watched, ...] | None = None
) -> frozenset[Event]:
    """The events that renew the generation for ``model`` (its own or a watched parent's).

    ``registry`` defaults to REGISTRY as it is when called.
    """
    registry = REGISTRY if registry is None else registry
    found = set(_fixed_events(model, registry))
    for watched in _snippet_entries(model, registry):
        found.update(watched.events)
    return frozenset(found)


def _snippet_entries(model: type[models.Model], registry: tuple[Watched, ...]) -> list[Watched]:
    """The SNIPPETS entries, when ``model`` is a snippet model (asked from Wagtail now)."""
    entries = [watched for watched in registry if watched.model == SNIPPETS]
    if entries and any(issubclass(model, snippet) for snippet in _snippet_models()):
        return entries
    return []


def _covering(model: type[models.Model], registry: tuple[Watched, ...]) -> list[Watched]:
    """The registry's entries whose model is ``model`` or one of its parents (SNIPPETS
    aside: asked from Wagtail at each signal)."""
    covering = []
    for watched in registry:
        target = _resolve(watched.model)
        if target is not None and issubclass(model, target):
            covering.append(watched)
    return covering


@lru_cache(maxsize=512)
def _fixed_events(model: type[models.Model], registry: tuple[Watched, ...]) -> frozenset[Event]:
    return frozenset(e for watched in _covering(model, registry) for e in watched.events)


def uncovered(
    read: set[type[models.Model]],
    registry: tuple[Watched, ...] | None = None,
    unwatched: tuple[Unwatched, ...] | None = None,
) -> set[type[models.Model]]:
    """The models among ``read`` that neither the registry nor ``unwatched`` accounts for.

    A rendition is accounted for by its image model: renditions are derived from the image
    and made while reading.
    """
    registry = REGISTRY if registry is None else registry
    unwatched = UNWATCHED if unwatched is None else unwatched
    excused = set()
    for entry in unwatched:
        try:
            excused.add(_resolve(entry.model))
        except LookupError:  # a model of another database backend (SQLite's full-text table)
            continue
    image_model = _resolve(IMAGES)
    missing = set()
    for model in read:
        if model in excused or events_for(model, registry):
            continue
        if model is image_model.get_rendition_model() and events_for(image_model, registry):
            continue
        missing.add(model)
    return missing


# Wiring ----------------------------------------------------------------------------------


def _renews(sender: type[models.Model], event: Event) -> bool:
    return event in events_for(sender)


# Who hears of every change the registry watches, with its reach (delivery.changes sends
# the webhooks): ``listener(reach, sender, instance)``.
_listeners: list[Callable[[Reach, type[models.Model] | None, object], None]] = []
# The widest reach first: a change covered by several entries reaches the widest.
_WIDEST = (
    Reach.SITE,
    Reach.BELOW,
    Reach.COLLECTION,
    Reach.REFERENCING,
    Reach.PAGE,
    Reach.NONE,
)


def listen(listener: Callable[[Reach, type[models.Model] | None, object], None]) -> None:
    """Call ``listener`` for every change the registry watches that reaches a URL."""
    if listener not in _listeners:
        _listeners.append(listener)


def reach_of(model: type[models.Model], registry: tuple[Watched, ...] | None = None) -> Reach:
    """The widest reach of the registry's entries that cover ``model``."""
    registry = REGISTRY if registry is None else registry
    found = {w.reach for w in [*_covering(model, registry), *_snippet_entries(model, registry)]}
    if found and model._meta.label in SITE_WIDE_SNIPPETS:
        found.add(Reach.SITE)
    return next((reach for reach in _WIDEST if reach in found), Reach.NONE)


def _announce(sender: type[models.Model], instance) -> None:
    reach = reach_of(sender)
    if reach in (Reach.NONE, Reach.PAGE):
        return  # pages send their own events (delivery.signal_handlers)
    held = _held_reach.get()
    if _held.get() and held is not None:
        held.append(reach)
        return
    for listener in _listeners:
        listener(reach, sender, instance)


def _draft_only(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS


def _defaults_only(instance) -> bool:
    """Whether ``instance`` holds its model's default in every field an editor sets.

    Wagtail's ``for_site``/``for_request`` create a setting's row with its defaults the
    first time it is read (a preview does): such a row answers what no row answered.
    """
    return all(
        getattr(instance, field.attname) == field.get_default()
        for field in instance._meta.concrete_fields
        if not field.primary_key and not field.is_relation and field.editable
    )


def _save_event(events: frozenset[Event], instance, update_fields, created=False) -> Event | None:
    """The registry's event a save is, or None when the save renews nothing."""
    if Event.SAVE in events:
        return Event.SAVE
    if Event.SETTING_SAVE in events and not (created and _defaults_only(instance)):
        return Event.SETTING_SAVE
    if Event.LIVE_SAVE in events and not _draft_only(update_fields):
        return Event.LIVE_SAVE
    # Scheduling, or cancelling a schedule.
    if Event.SCHEDULE in events and (
        getattr(instance, "approved_go_live_at", None) is not None
        or (update_fields is not None and "approved_go_live_at" in update_fields)
    ):
        return Event.SCHEDULE
    return None


def on_save(sender, instance, raw=False, update_fields=None, created=False, **kwargs) -> None:
    if raw:
        # A fixture's row (loaddata): saved as it is, its relations maybe not there yet.
        if events_for(sender):
            renew_after_commit(roots=True)
        return
    event = _save_event(events_for(sender), instance, update_fields, created)
    if event is not None:
        renew_after_commit(roots=_may_move_roots(sender, instance))
        _announce(sender, instance)


def on_delete(sender, instance, **kwargs) -> None:
    if Event.DELETE in events_for(sender):
        renew_after_commit(roots=_may_move_roots(sender))
        _announce(sender, instance)


def on_m2m(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and Event.GROUPS in events_for(sender):
        renew_after_commit()
        _announce(sender, instance)


def on_tree_change(sender, **kwargs) -> None:
    if Event.TREE in events_for(sender):
        renew_after_commit(roots=_may_move_roots(sender))
        _announce(sender, None)


def connect() -> None:
    """Wire the signals the registry names (called once, from GraphQLApiConfig.ready).

    The model signals are connected for every sender and filtered through the registry at
    each call, so page types and snippets registered after this ran are covered too.
    """
    from treebeard.mp_tree import nodes_deleted, path_updated
    from wagtail.signals import page_published, page_unpublished, post_page_move

    used = {event for watched in REGISTRY for event in watched.events}
    if used & {Event.SAVE, Event.SETTING_SAVE, Event.LIVE_SAVE, Event.SCHEDULE}:
        post_save.connect(on_save, dispatch_uid="graphql_api.invalidation.save")
    if Event.DELETE in used:
        post_delete.connect(on_delete, dispatch_uid="graphql_api.invalidation.delete")
    if Event.GROUPS in used:
        m2m_changed.connect(on_m2m, dispatch_uid="graphql_api.invalidation.m2m")
    if Event.TREE in used:
        path_updated.connect(on_tree_change, dispatch_uid="graphql_api.invalidation.path")
        nodes_deleted.connect(on_tree_change, dispatch_uid="graphql_api.invalidation.nodes")
    for event, signal in (
        (Event.PUBLISH, page_published),
        (Event.UNPUBLISH, page_unpublished),
        (Event.MOVE, post_page_move),
    ):
        if event in used:
            signal.connect(
                _page_signal_receiver(event), dispatch_uid=f"graphql_api.invalidation.{event.name}"
            )


def _page_signal_receiver(event: Event):
    def receiver(sender, **kwargs) -> None:
        if _renews(sender, event):
            instance = None if event is Event.MOVE else kwargs.get("instance")
            renew_after_commit(roots=_may_move_roots(sender, instance))

    receiver.__name__ = f"on_{event.name.lower()}"
    return receiver


# Dates -----------------------------------------------------------------------------------


def _next_date(now: datetime) -> datetime | None:
    from wagtail.models import Page, Revision

    scheduled = (
        Revision.objects.filter(approved_go_live_at__gt=now)
        .order_by("approved_go_live_at")
        .values("approved_go_live_at")[:1]
    )
    # One query: the revisions' earliest date is a scalar subquery, read once by the
    # aggregate (the page table always holds the tree's root, so it has a row to read).
    dates = Page.objects.aggregate(
        go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        expire=Min("expire_at", filter=Q(live=True, expire_at__gt=now)),
        scheduled=Min(Subquery(scheduled)),
    )
    upcoming = [date for date in dates.values() if date is not None]
    return min(upcoming) if upcoming else None


def _prime_next_change(token: str) -> None:
    """Compute the next page date for a generation the writer has just set, so that the
    first reader after a change need not.

    Read after the token was set, the date reflects every change committed before it, as
    a reader's would: readers keep answering with it only while ``token`` is current, and
    any later change sets another token. A reader that finds nothing here (the writer's
    query failed, or the cache lost it) computes the date itself.
    """
    now = timezone.now()
    try:
        at = _next_date(now)
    except DatabaseError:
        logger.warning("The next page date was not computed at commit.", exc_info=True)
        return
    value = {"after": now, "at": at}
    # add, not set: a reader may have stored it already, and either value is right.
    cache.add(NEXT_CHANGE_PREFIX + token, value, timeout=NEXT_CHANGE_TTL)


def next_change(now: datetime, generation: str | None = None) -> datetime | None:
    """The next go-live or expiry date of any page after ``now``, or None.

    Live pages with a future expiry, pages with a future go-live, and revisions scheduled
    to go live. Kept in the shared cache under the generation (no date changes without a
    renewal) and computed again once ``now`` has passed it.
    """
    token = generation or current_generation()
    key = NEXT_CHANGE_PREFIX + token
    kept = cache.get(key)
    if kept is not None:
        # Computed at ``after``: the date holds for any ``now`` from then until the date.
        if kept["after"] <= now and (kept["at"] is None or now < kept["at"]):
            return kept["at"]
        if now < kept["after"]:
            # A request older than the one that computed it: answer, keep the newer one.
            return _next_date(now)
    at = _next_date(now)
    cache.set(key, {"after": now, "at": at}, timeout=NEXT_CHANGE_TTL)
    return at
