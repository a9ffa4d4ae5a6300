"""Content that is public, then hidden, built inside the end-to-end CMS process.

The browser tests run these through ``manage.py shell`` (``Servers.shell``); each prints
one line of JSON: what it made and when its change committed (Unix time), so a test
measures from the commit and not from the shell's start.

Every page is put first among the Spanish services, so that while public it is in the
listing and among the home page's services (the first six), and hiding it is seen there.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from delivery.models import FrontendSettings
from generic.models import StandardPage
from graphql_api.invalidation import held_renewals
from services.models import ServiceIndexPage, ServicePage
from tests.factories import make_image

# The hidden kinds of the leak matrix (tests/e2e/test_leak_matrix.py).
PAGE_KINDS = ("draft", "newer-draft", "password", "login", "group", "expired", "scheduled")
MEDIA_KINDS = ("image", "document")
OTHER_SITE = "other-site"
OTHER_HOST = "otra.example.org"
MATRIX_COLLECTION = "Reservada e2e"


def _print(value: dict) -> None:
    print(json.dumps(value))


def _services() -> ServiceIndexPage:
    """The Spanish services of the default site (another site may have its own)."""
    home = Site.objects.get(is_default_site=True).root_page
    return ServiceIndexPage.objects.descendant_of(home).get(locale__language_code="es")


def _first_service(page: ServicePage, *, publish: bool = True) -> ServicePage:
    """``page`` added as the first of the Spanish services, published unless asked not."""
    index = _services()
    first = index.get_first_child()
    page.live = False
    if first is None:
        index.add_child(instance=page)
    else:
        first.add_sibling(pos="first-sibling", instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def _committed(change) -> dict[str, float]:
    """Run ``change`` in one transaction; the Unix times it began and committed at."""
    began = time.time()
    with transaction.atomic():
        change()
    return {"began_at": began, "committed_at": time.time()}


# The timing test (test_hidden_leave_site.py): one page per kind of change ---------------


def timed_page(slug: str, *, image: bool = False) -> None:
    """A public service page; with ``image``, its card and body show an image of a
    collection of its own (public for now)."""
    fields = {}
    if image:
        collection = Collection.get_first_root_node().add_child(name=f"Colección {slug}")
        picture = make_image(f"imagen-{slug}", collection=collection)
        fields = {
            "image": picture,
            "body": [("image", {"image": picture, "alt": "Una foto", "caption": ""})],
        }
    title = slug.replace("-", " ").capitalize()
    page = _first_service(ServicePage(title=title, slug=slug, description="Se irá.", **fields))
    _print({"path": page.url, "title": title})


def hide_timed(slug: str, how: str, *, expire_in: float = 0) -> None:
    """Hide the page ``slug`` by ``how``: a login restriction, an unpublish, its collection
    made private, or an expiry date ``expire_in`` seconds ahead (published as an editor
    does)."""
    page = _services().get_children().get(slug=slug).specific
    expire_at = timezone.now() + timedelta(seconds=expire_in)

    def change() -> None:
        if how == "restriction":
            PageViewRestriction.objects.create(page=page, restriction_type="login")
        elif how == "unpublish":
            page.unpublish()
        elif how == "collection":
            CollectionViewRestriction.objects.create(
                collection=page.image.collection, restriction_type="login"
            )
        elif how == "expiry":
            page.expire_at = expire_at
            page.save_revision().publish()
        else:
            raise ValueError(f"hide_timed: unknown way {how!r}")

    _print({**_committed(change), "expire_at": expire_at.timestamp()})


# The leak matrix: every hidden kind at once ----------------------------------------------


def _marker(kind: str) -> str:
    """A word only this kind's content carries (its slug, title, file name), to look for
    on every surface."""
    return f"fugaz{kind.replace('-', '')}"


# What a newer draft changes (its title and slug): the live page keeps its own.
DRAFT_TITLE, DRAFT_SLUG = "Página borradornuevo", "borradornuevo"


def matrix_shown() -> None:
    """Every kind while public (or, for a draft and a scheduled page, as made): a page per
    page kind, a page showing an image and a document of a collection that is public for
    now, a page of another site, and a redirect to each page. Made as one run of writes
    (``held_renewals``): the collection and the site ask for one full rebuild, not one each."""
    with held_renewals():
        made = _matrix_made()
    _print(made)


def _matrix_made() -> dict[str, dict]:
    collection = Collection.get_first_root_node().add_child(name=MATRIX_COLLECTION)
    image = make_image(_marker("image"), collection=collection)
    document = get_document_model()(title=f"Acta {_marker('document')}", collection=collection)
    document.file = ContentFile(b"%PDF-1.4 acta", name=f"{_marker('document')}.pdf")
    document.save()
    made: dict[str, dict] = {}
    media = _first_service(
        ServicePage(
            title="Con adjuntos e2e",
            slug="con-adjuntos-e2e",
            description="Una página con una imagen y un acta.",
            image=image,
            body=[
                ("image", {"image": image, "alt": "Una foto", "caption": ""}),
                ("documents", {"title": "", "items": [{"document": document, "title": ""}]}),
            ],
        )
    )
    for kind in MEDIA_KINDS:
        made[kind] = {"path": media.url, "page_id": media.pk, "marker": _marker(kind)}
    made["image"]["file"] = image.file.url
    made["document"] |= {"file": document.file.url, "view": document.url}
    # Added first in turn: the last made is the first service.
    for kind in reversed(PAGE_KINDS):
        marker = _marker(kind)
        page = ServicePage(title=f"Página {marker}", slug=marker, description=f"{marker}.")
        if kind == "scheduled":
            page.go_live_at = timezone.now() + timedelta(hours=1)
        page = _first_service(page, publish=kind != "draft")
        made[kind] = {"path": page.url or f"/es/services/{marker}/", "page_id": page.pk}
        made[kind] |= {"marker": DRAFT_SLUG if kind == "newer-draft" else marker}
        made[kind]["title"] = page.title
    root = Page.get_first_root_node().add_child(
        instance=StandardPage(title="Otra web", slug="otra-web", locale=_services().locale)
    )
    other = Site.objects.create(hostname=OTHER_HOST, port=80, root_page=root)
    FrontendSettings.objects.create(site=other, frontend_url=f"https://{OTHER_HOST}")
    other_index = root.add_child(
        instance=ServiceIndexPage(title="Servicios otros", slug="services")
    )
    marker = _marker(OTHER_SITE)
    elsewhere = ServicePage(title=f"Página {marker}", slug=marker, description=f"{marker}.")
    other_index.add_child(instance=elsewhere)
    elsewhere.save_revision().publish()
    made[OTHER_SITE] = {
        "path": f"/es/services/{marker}/",
        "site_path": f"/services/{marker}/",
        "page_id": elsewhere.pk,
        "marker": marker,
        "title": elsewhere.title,
    }
    for kind, found in made.items():
        redirect = f"/es/antes-{kind}"
        Redirect.objects.create(old_path=redirect, redirect_page_id=found["page_id"])
        found["redirect"] = f"{redirect}/"
    return made


def matrix_hide(expire_in: float) -> None:
    """Hide what was public: a newer draft (a new title and slug) of a live page, a
    password, a login and a group restriction, an expiry date ``expire_in`` seconds ahead,
    and the collection of the image and the document made private."""
    pages = {
        kind: Page.objects.get(slug=_marker(kind)).specific
        for kind in ("newer-draft", "password", "login", "group", "expired")
    }
    expire_at = timezone.now() + timedelta(seconds=expire_in)

    def change() -> None:
        draft = pages["newer-draft"]
        draft.title, draft.slug = DRAFT_TITLE, DRAFT_SLUG
        draft.save_revision()
        for kind in ("password", "login"):
            PageViewRestriction.objects.create(
                page=pages[kind], restriction_type=kind, password="clave-e2e"
            )
        members = Group.objects.get_or_create(name="Socias e2e")[0]
        restriction = PageViewRestriction.objects.create(
            page=pages["group"], restriction_type="groups"
        )
        restriction.groups.add(members)
        expiring = pages["expired"]
        expiring.expire_at = expire_at
        expiring.save_revision().publish()
        CollectionViewRestriction.objects.create(
            collection=Collection.objects.get(name=MATRIX_COLLECTION), restriction_type="login"
        )

    _print({**_committed(change), "expire_at": expire_at.timestamp()})


def matrix_cleanup() -> None:
    """The other site and its pages go: the servers are shared with the other tests."""
    site = Site.objects.get(hostname=OTHER_HOST)
    root = site.root_page
    site.delete()
    root.delete()


def deliveries(since: float) -> None:
    """The webhook deliveries made since ``since`` (Unix time): event and payload."""
    from delivery.models import WebhookDelivery

    after = datetime.fromtimestamp(since, tz=UTC)
    rows = WebhookDelivery.objects.filter(created_at__gte=after).order_by("created_at", "pk")
    _print({"deliveries": [{"event": row.event, "payload": row.payload} for row in rows]})
