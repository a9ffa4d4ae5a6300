"""Readers against a writer: every visibility change, and which reads had to see it.

The world: service pages (alfa, bravo, charlie, golf, hotel, and delta whose body shows an
image, a document and a collaborator), a login-restricted services index and collection,
and a second site (second.test) with one service (eco). The plan is every change of
issue 13 point 6 that hides (or, for a go-live, shows) one item, in a seeded random order:

- alfa unpublished; bravo restricted; charlie moved under the restricted index;
- the image and the document moved into the restricted collection;
- the collaborator deleted; the second site's hostname changed (eco has no site left);
- the clock passing golf's go-live date and hotel's expiry date, with no save.

Reader threads run every root field in a loop while the writer applies the plan. Each read
records when it started and ended; each change, when it began and when it had committed
(commit callbacks included). A read that started after a change committed must show the
new state of the change's item; a read that ended before the change began must show the
old one (so the check is seen to work). Each item is recognised by a marker string in the
answer.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from cms.models import Collaborator, HomePage
from services.models import ServiceIndexPage
from tests.factories import make_image, make_service

SECOND_HOST = "second.test"
BLOCKS = """body {
  blockType
  ... on ImageBlock { image { url } }
  ... on DocumentsBlock { documents { title url } }
  ... on CollaboratorsBlock { collaborators { name } }
}"""
SERVICES = (
    'query { services(first: 50, locale: "es") { edges { node { title image { url } '
    + BLOCKS
    + " } } } }"
)
SERVICE = (
    'query ($slug: String!) { service(slug: $slug, locale: "es") { title image { url } '
    + BLOCKS
    + " } }"
)
PAGE = (
    "query ($path: String!) { page(path: $path) { title ... on ServicePage { image { url } "
    + BLOCKS
    + " } } }"
)
SEARCH = 'query { search(query: "marcador", locale: "es", first: 50) { title } }'
COLLABORATORS = 'query { collaborators(locale: "es") { name slug } }'
COLLABORATOR = 'query { collaborator(slug: "xilofono", locale: "es") { name } }'
LOCALES = "query { locales { code } }"

PAGES = ("alfa", "bravo", "charlie", "golf", "hotel")
MARKERS = {
    **{slug: f"Marcador {slug.capitalize()}" for slug in (*PAGES, "eco")},
    "image": "imagenprivada",
    "document": "documentoprivado",
    "collaborator": "SociaXilo",
}
DELTA_ITEMS = frozenset({"image", "document", "collaborator"})


@dataclass(frozen=True)
class Query:
    """One read: a root field with its variables and host, and the items it must show."""

    name: str
    text: str
    variables: dict
    covers: frozenset[str]
    host: str | None = None


def queries() -> list[Query]:
    """Every root field, over every item it can show."""
    listed = frozenset(PAGES) | DELTA_ITEMS
    found = [
        Query("services", SERVICES, {}, listed),
        Query("search", SEARCH, {}, frozenset(PAGES)),
        Query("collaborators", COLLABORATORS, {}, frozenset({"collaborator"})),
        Query("collaborator", COLLABORATOR, {}, frozenset({"collaborator"})),
        Query("locales", LOCALES, {}, frozenset()),
        Query("services@second", SERVICES, {}, frozenset({"eco"}), SECOND_HOST),
        Query("service@second", SERVICE, {"slug": "eco"}, frozenset({"eco"}), SECOND_HOST),
    ]
    for slug in (*PAGES, "delta"):
        covers = DELTA_ITEMS if slug == "delta" else frozenset({slug})
        found.append(Query(f"service:{slug}", SERVICE, {"slug": slug}, covers))
        path = f"/es/services/{slug}/"
        found.append(Query(f"page:{slug}", PAGE, {"path": path}, covers))
    return found


# The world -----------------------------------------------------------------------------------


@dataclass
class World:
    """The content the plan changes, by item."""

    pages: dict[str, int]
    private_index: int
    private_collection: int
    image: int
    document: int
    collaborator: int
    second_site: int


def make_document(title: str):
    document = get_document_model()(title=title)
    document.file = ContentFile(b"%PDF-1.4 test", name=f"{title}.pdf")
    document.save()
    return document


def build_world(structure, *, go_live_at: datetime, expire_at: datetime) -> World:
    """Create the items (golf goes live at ``go_live_at``, hotel expires at ``expire_at``)."""
    index = structure.service_indexes["es"]
    home = structure.homes["es"]
    locale = home.locale
    private_index = ServiceIndexPage(title="Privado", slug="privado", locale=locale)
    home.add_child(instance=private_index)
    private_index.save_revision().publish()
    PageViewRestriction.objects.create(page=private_index, restriction_type="login")
    private_collection = Collection.get_first_root_node().add_child(name="Privada")
    CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type="login"
    )
    image = make_image(MARKERS["image"])
    document = make_document(MARKERS["document"])
    collaborator = Collaborator.objects.create(
        name=MARKERS["collaborator"], slug="xilofono", locale=locale
    )
    pages = {slug: make_service(index, title=MARKERS[slug], slug=slug).pk for slug in PAGES}
    body = [
        ("image", {"image": image, "alt": "Foto", "caption": ""}),
        ("documents", {"title": "Docs", "items": [{"document": document, "title": ""}]}),
        ("collaborators", {"title": "Socias", "collaborators": [collaborator]}),
    ]
    make_service(index, title="Marcador Delta", slug="delta", body=body, image=image)
    for slug, dates in (("golf", {"go_live_at": go_live_at}), ("hotel", {"expire_at": expire_at})):
        page = Page.objects.get(pk=pages[slug])
        for name, value in dates.items():
            setattr(page, name, value)
        page.save()

    portal = HomePage(title="Portal", slug="portal", locale=locale)
    Page.get_first_root_node().add_child(instance=portal)
    portal.save_revision().publish()
    portal_index = ServiceIndexPage(title="Servicios", slug="services", locale=locale)
    portal.add_child(instance=portal_index)
    portal_index.save_revision().publish()
    make_service(portal_index, title=MARKERS["eco"], slug="eco")
    second = Site.objects.create(hostname=SECOND_HOST, port=80, root_page=portal)
    return World(
        pages=pages,
        private_index=private_index.pk,
        private_collection=private_collection.pk,
        image=image.pk,
        document=document.pk,
        collaborator=collaborator.pk,
        second_site=second.pk,
    )


# The plan ------------------------------------------------------------------------------------


@dataclass
class Change:
    """One visibility change of one item, applied by the writer."""

    name: str
    item: str
    apply: Callable[[], None]
    before: bool = True
    after: bool = False
    clock: bool = False
    # A date on the real clock: the change happens then, whenever the writer gets to it.
    at: float | None = None
    began: float | None = None
    committed: float | None = None


def database_changes(world: World) -> list[Change]:
    """The changes made by saving: each in its own transaction."""

    def unpublish():
        Page.objects.get(pk=world.pages["alfa"]).specific.unpublish()

    def restrict():
        PageViewRestriction.objects.create(
            page=Page.objects.get(pk=world.pages["bravo"]), restriction_type="login"
        )

    def move():
        page = Page.objects.get(pk=world.pages["charlie"])
        page.move(Page.objects.get(pk=world.private_index), pos="last-child")

    def into_private(model, pk):
        def run():
            obj = model.objects.get(pk=pk)
            obj.collection_id = world.private_collection
            obj.save()

        return run

    from wagtail.images import get_image_model

    def delete_collaborator():
        Collaborator.objects.get(pk=world.collaborator).delete()

    def rename_site():
        site = Site.objects.get(pk=world.second_site)
        site.hostname = "renamed.test"
        site.save()

    return [
        Change("unpublish", "alfa", unpublish),
        Change("restriction added", "bravo", restrict),
        Change("moved under a restricted parent", "charlie", move),
        Change(
            "image into a private collection",
            "image",
            into_private(get_image_model(), world.image),
        ),
        Change(
            "document into a private collection",
            "document",
            into_private(get_document_model(), world.document),
        ),
        Change("collaborator deleted", "collaborator", delete_collaborator),
        Change("site hostname changed", "eco", rename_site),
    ]


def clock_changes(pass_go_live: Callable[[], None], pass_expiry: Callable[[], None]):
    return [
        Change(
            "clock passes a go-live", "golf", pass_go_live, before=False, after=True, clock=True
        ),
        Change("clock passes an expiry", "hotel", pass_expiry, clock=True),
    ]


def shuffled(changes: list[Change], seed: int) -> list[Change]:
    order = list(changes)
    random.Random(seed).shuffle(order)
    return order


# Running -------------------------------------------------------------------------------------


@dataclass
class Read:
    query: Query
    began: float
    ended: float
    status: int
    text: str
    cache: str | None


Fetch = Callable[[Query], tuple[int, str, str | None]]


@dataclass
class Run:
    reads: list[Read] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def apply_here(change: Change) -> None:
    """Apply a change in this process: a saving change in its own transaction."""
    if change.clock:
        change.apply()
    else:
        with transaction.atomic():
            change.apply()


def run(
    plan: list[Change],
    make_fetch: Callable[[int], Fetch],
    *,
    readers: int = 3,
    settle: float = 1.0,
    schedule: Callable[[int], float] | None = None,
    apply: Callable[[Change], None] = apply_here,
) -> Run:
    """Readers loop over every query while the writer applies ``plan``, one change at a
    time, ``settle`` seconds apart (or at ``schedule(k)``, a time.time() value)."""
    outcome = Run()
    stop = threading.Event()
    every = queries()
    lock = threading.Lock()

    def reader(number: int) -> None:
        fetch = make_fetch(number)
        rotation = every[number::readers] + every[:number:readers] + every
        position = number
        try:
            while not stop.is_set():
                query = rotation[position % len(rotation)]
                position += 1
                began = time.time()
                status, text, cache = fetch(query)
                read = Read(query, began, time.time(), status, text, cache)
                with lock:
                    outcome.reads.append(read)
        except Exception as error:
            with lock:
                outcome.errors.append(f"reader {number}: {error!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(readers)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(settle)
        for number, change in enumerate(plan):
            if schedule is not None:
                time.sleep(max(0.0, schedule(number) - time.time()))
            change.began = time.time()
            apply(change)
            change.committed = time.time()
            if change.at is not None:
                change.began = change.committed = change.at
            if schedule is None:
                time.sleep(settle)
        time.sleep(settle)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    return outcome


def violations(outcome: Run, plan: list[Change]) -> list[str]:
    """Reads that showed an item in the state its change had left (or not yet reached)."""
    found = list(outcome.errors)
    for read in outcome.reads:
        if read.status != 200 or '"errors"' in read.text:
            found.append(f"{read.query.name}: HTTP {read.status} {read.text[:300]}")
            continue
        for change in plan:
            if read.began > change.committed:
                expected = change.after
            elif read.ended < change.began:
                expected = change.before
            else:
                continue
            shown = MARKERS[change.item] in read.text
            covered = change.item in read.query.covers
            if shown != expected and (covered or shown):
                state = "shown" if shown else "missing"
                found.append(
                    f"{read.query.name} began {read.began - change.committed:+.3f}s after "
                    f"'{change.name}' committed: {change.item} {state} (cache {read.cache})"
                )
    return found


def evidence(outcome: Run, plan: list[Change]) -> dict[str, tuple[bool, bool]]:
    """For each change: whether some covering read checked the old state, and the new one."""
    seen = {}
    for change in plan:
        covering = [r for r in outcome.reads if change.item in r.query.covers]
        seen[change.name] = (
            any(r.ended < change.began for r in covering),
            any(r.began > change.committed for r in covering),
        )
    return seen


def decode(body: bytes) -> str:
    """The answer as text with its characters, not JSON escapes, for marker search."""
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body.decode(errors="replace")


class Clock:
    """``timezone.now`` moved ahead by an offset the writer jumps: time passing, no save."""

    def __init__(self, real: Callable[[], datetime]) -> None:
        self.real = real
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self.real() + self.offset

    def jump_past(self, moment: datetime) -> None:
        self.offset = max(self.offset, moment - self.real() + timedelta(milliseconds=1))


def real_now() -> datetime:
    return timezone.now()


def served_from(layer: str, header) -> str | None:
    """ "hit" when the layer under test answered the whole request from what it kept.

    ``header`` reads a response header by name (None when absent)."""
    if layer == "response cache":
        return header("X-Civic-Cache")
    return "miss"  # Nothing kept: every answer is computed.
