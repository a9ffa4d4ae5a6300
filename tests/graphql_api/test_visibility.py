"""Hidden pages and private images never reach the API, by any path."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)

from cms.models import Collaborator, HomePage
from services.models import ServiceIndexPage, ServicePage
from tests.factories import make_image, make_service, make_standard_page

MARK = "Zarzamora"
HIDDEN_KINDS = [
    "draft_only",
    "unpublished",
    "scheduled",
    "expired",
    "password",
    "login",
    "groups",
    "child_of_private",
    "other_site",
    "other_language",
]
# Service pages only: also a page in a Locale that is not a content language.
SERVICE_KINDS = [*HIDDEN_KINDS, "unserved_language"]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_hidden(kind: str, structure, locales) -> ServicePage:
    """A service page that must stay invisible, whose title carries MARK."""
    title, slug = f"{MARK} {kind}", f"oculto-{kind.replace('_', '-')}"
    index = structure.service_indexes["es"]
    if kind == "draft_only":
        return make_service(index, title=title, slug=slug, publish=False)
    if kind == "other_language":
        return make_service(structure.service_indexes["en"], title=title, slug=slug)
    if kind == "unserved_language":
        # A Locale that is not one of the content languages, under the Spanish index: in the
        # site's tree, in a language the site does not serve.
        french = Locale.objects.create(language_code="fr")
        return make_service(index, title=title, slug=slug, locale=french)
    if kind == "child_of_private":
        private = _publish(structure.homes["es"], ServiceIndexPage(title="Privado", slug="privado"))
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        return make_service(private, title=title, slug=slug)
    if kind == "other_site":
        home = _publish(
            Page.get_first_root_node(), HomePage(title="Otra", slug="otra", locale=locales["es"])
        )
        Site.objects.create(hostname="other.example", port=80, root_page=home)
        other_index = _publish(home, ServiceIndexPage(title="Servicios", slug="services"))
        return make_service(other_index, title=title, slug=slug)
    page = make_service(index, title=title, slug=slug)
    now = timezone.now()
    if kind == "unpublished":
        page.unpublish()
    elif kind == "scheduled":
        ServicePage.objects.filter(pk=page.pk).update(go_live_at=now + timedelta(days=1))
    elif kind == "expired":
        ServicePage.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    elif kind == "password":
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    elif kind == "login":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif kind == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Socias"))
    else:
        raise AssertionError(kind)
    return ServicePage.objects.get(pk=page.pk)


def _cta(page) -> list:
    return [
        (
            "call_to_action",
            {"text": "Ir", "button_label": "Ir", "page": page, "url": "", "image": None},
        )
    ]


@pytest.fixture
def hidden_setup(request, site_structure, locales):
    kind = request.param
    hidden = make_hidden(kind, site_structure, locales)
    # A public page in the other language that shares the hidden page's translation key,
    # and a public page whose call to action links to the hidden page.
    other_code = "es" if hidden.locale.language_code == "en" else "en"
    sibling = make_service(
        site_structure.service_indexes[other_code], title="Pública", slug="publica"
    )
    if kind != "other_language":
        ServicePage.objects.filter(pk=sibling.pk).update(translation_key=hidden.translation_key)
    linking = make_service(
        site_structure.service_indexes["es"], title="Enlaza", slug="enlaza", body=_cta(hidden)
    )
    return kind, hidden, sibling, linking


# Asked in Spanish, the language every hidden page but "other_language" is written in.
SPANISH_QUERY = """
query ($path: String!, $id: ID!, $slug: String!) {
  byPath: page(path: $path) { id title }
  byIdInSpanish: page(id: $id, locale: "es") { id title }
  service(slug: $slug, locale: "es") { id title }
  services(locale: "es", first: 50) { totalCount edges { node { id title } } }
  search(query: "Zarzamora", locale: "es") { id title }
}
"""

# Paths that would find the page in any language: for the kinds hidden in every language.
ANY_LANGUAGE_QUERY = """
query ($ownPath: String!, $id: ID!, $slug: String!, $locale: String!) {
  byOwnPath: page(path: $ownPath) { id title }
  byId: page(id: $id) { id title }
  byIdFallback: page(id: $id, locale: "ca", fallback: true) { id title }
  service(slug: $slug, locale: $locale) { id title }
  serviceFallback: service(slug: $slug, locale: "ca", fallback: true) { id title }
  services(locale: $locale, first: 50) { totalCount edges { node { id title } } }
  servicesFallback: services(locale: "ca", first: 50, fallback: true) {
    totalCount edges { node { id title } }
  }
  search(query: "Zarzamora", locale: $locale) { id title }
}
"""


def _assert_nothing_found(response: dict, kind: str) -> None:
    assert "errors" not in response, response
    for field, value in response["data"].items():
        if field.startswith("services"):
            titles = [e["node"]["title"] for e in value["edges"]]
            assert value["totalCount"] == len(titles), (kind, field)
        elif field == "search":
            assert value == [], kind
        else:
            assert value is None, (kind, field)
    assert MARK not in json.dumps(response), kind


@pytest.mark.parametrize("hidden_setup", SERVICE_KINDS, indirect=True)
def test_hidden_page_never_appears(hidden_setup, graphql):
    kind, hidden, _sibling, _linking = hidden_setup
    variables = {"path": f"/es/services/{hidden.slug}/", "id": str(hidden.pk), "slug": hidden.slug}
    _assert_nothing_found(graphql(SPANISH_QUERY, variables), kind)
    if kind != "other_language":
        variables = {
            "ownPath": hidden.url_path,
            "id": str(hidden.pk),
            "slug": hidden.slug,
            # An unserved language cannot be asked for (UNKNOWN_LOCALE): ask in Spanish.
            "locale": "es" if kind == "unserved_language" else hidden.locale.language_code,
        }
        _assert_nothing_found(graphql(ANY_LANGUAGE_QUERY, variables), kind)


# An English-only page is public in English: as a translation or a link target it is fine.
@pytest.mark.parametrize(
    "hidden_setup", [k for k in SERVICE_KINDS if k != "other_language"], indirect=True
)
def test_hidden_page_not_in_translations_nor_links(hidden_setup, graphql):
    kind, _hidden, sibling, linking = hidden_setup
    query = """
    query ($sibling: ID!, $linking: ID!) {
      sibling: page(id: $sibling) { title translations { title url locale { code } } }
      linking: page(id: $linking) {
        ... on ServicePage {
          callToAction { url }
          body { ... on CallToActionBlock { url } }
        }
      }
    }
    """
    response = graphql(query, {"sibling": str(sibling.pk), "linking": str(linking.pk)})
    assert response == {
        "data": {
            "sibling": {"title": "Pública", "translations": []},
            "linking": {"callToAction": {"url": None}, "body": [{"url": None}]},
        }
    }, kind


def test_live_page_with_newer_draft_serves_the_published_version(site_structure, graphql):
    page = make_service(site_structure.service_indexes["es"], title="Publicado", slug="pub")
    page.title = f"{MARK} borrador"
    page.description = f"{MARK} descripción"
    page.save_revision()
    query = """
    query ($id: ID!) {
      page(id: $id) { title ... on ServicePage { description { markdown } } }
      service(slug: "pub") { title }
      search(query: "Zarzamora") { title }
      services { edges { node { title } } }
    }
    """
    response = graphql(query, {"id": str(page.pk)})
    assert response == {
        "data": {
            "page": {"title": "Publicado", "description": {"markdown": ""}},
            "service": {"title": "Publicado"},
            "search": [],
            "services": {"edges": [{"node": {"title": "Publicado"}}]},
        }
    }


@pytest.mark.parametrize("kind", ["draft_only", "unpublished", "scheduled", "expired"])
def test_hidden_ancestor_left_out_of_breadcrumbs(site_structure, graphql, kind):
    home = site_structure.homes["es"]
    index = ServiceIndexPage(title=f"{MARK} índice", slug="indice", live=kind != "draft_only")
    home.add_child(instance=index)
    if kind != "draft_only":
        index.save_revision().publish()
    page = make_service(index, title="Hija", slug="hija")
    now = timezone.now()
    if kind == "unpublished":
        index.unpublish()
    elif kind == "scheduled":
        Page.objects.filter(pk=index.pk).update(go_live_at=now + timedelta(days=1))
    elif kind == "expired":
        Page.objects.filter(pk=index.pk).update(expire_at=now - timedelta(days=1))
    response = graphql(
        "query ($id: ID!) { page(id: $id) { title breadcrumbs { title url } } }",
        {"id": str(page.pk)},
    )
    assert response == {
        "data": {"page": {"title": "Hija", "breadcrumbs": [{"title": home.title, "url": "/es/"}]}}
    }


def test_alias_of_a_live_page_is_served_as_a_page(site_structure, graphql):
    source = make_service(site_structure.service_indexes["es"], title="Original", slug="original")
    alias = source.create_alias(parent=site_structure.homes["es"], update_slug="alias")
    response = graphql("query ($id: ID!) { page(id: $id) { title url } }", {"id": str(alias.pk)})
    assert response == {"data": {"page": {"title": "Original", "url": "/es/alias/"}}}


def test_images_in_private_collections_never_appear(site_structure, locales, graphql):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Privada")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    nested = private.add_child(name="Dentro de privada")
    secret = make_image(f"{MARK} foto", collection=private)
    nested_secret = make_image(f"{MARK} anidada", collection=nested)
    public = make_image("Pública")
    Collaborator.objects.create(
        name="Socia", slug="socia", logo=secret, logo_alt="Logo", locale=locales["es"]
    )
    make_service(
        site_structure.service_indexes["es"],
        title="Con imágenes",
        slug="con-imagenes",
        image=secret,
        body=[
            ("image", {"image": nested_secret, "alt": "", "caption": "Pie"}),
            (
                "gallery",
                {
                    "simple": True,
                    "images": [
                        {"image": secret, "alt": "", "caption": "", "credits": ""},
                        {"image": public, "alt": "Vista", "caption": "", "credits": ""},
                    ],
                },
            ),
            (
                "call_to_action",
                {"text": "Ir", "button_label": "Ir", "url": "#c", "image": secret},
            ),
            ("author", {"name": "Ana", "image": nested_secret}),
            ("stickers", {"sticker_one": secret, "sticker_two": nested_secret}),
            ("file", {"title": "F", "document": None, "image": secret}),
        ],
    )
    query = """
    {
      service(slug: "con-imagenes") {
        image { url }
        body {
          ... on ImageBlock { image { url } }
          ... on GalleryBlock { images { image { alt } } }
          ... on CallToActionBlock { image { url } }
          ... on AuthorBlock { image { url } }
          ... on StickersBlock { stickerOne { url } stickerTwo { url } }
          ... on FileBlock { image { url } document { url } }
        }
      }
      collaborator(slug: "socia") { logo { url } }
      collaborators { slug logo { url } }
    }
    """
    response = graphql(query)
    assert response == {
        "data": {
            "service": {
                "image": None,
                "body": [
                    {"image": None},
                    {"images": [{"image": {"alt": "Vista"}}]},
                    {"image": None},
                    {"image": None},
                    {"stickerOne": None, "stickerTwo": None},
                    {"image": None, "document": None},
                ],
            },
            "collaborator": {"logo": None},
            "collaborators": [{"slug": "socia", "logo": None}],
        }
    }
    assert MARK not in json.dumps(response)


def test_each_site_sees_only_its_own_pages(demo_page, site_structure, locales, graphql):
    hidden = make_hidden("other_site", site_structure, locales)
    query = (
        '{ services { totalCount edges { node { title } } } search(query: "Zarzamora") { title } }'
    )
    other = graphql(query, HTTP_HOST="other.example")
    assert other == {
        "data": {
            "services": {"totalCount": 1, "edges": [{"node": {"title": hidden.title}}]},
            "search": [{"title": hidden.title}],
        }
    }
    default = graphql(query)
    assert default["data"]["services"]["edges"] == [{"node": {"title": demo_page.title}}]
    assert default["data"]["search"] == []


# Ways an editor hides a page that readers have already been served, each through the
# admin's normal saves (which renew the content generation).
HIDE_AFTER_SERVED = [
    "unpublished",
    "expired",
    "scheduled",
    "password",
    "login",
    "groups",
    "child_of_private",
    "deleted",
]


def _hide(kind: str, page: ServicePage, index: ServiceIndexPage) -> None:
    now = timezone.now()
    if kind == "unpublished":
        page.unpublish()
    elif kind == "expired":
        page.expire_at = now - timedelta(minutes=1)
        page.save()
    elif kind == "scheduled":
        page.go_live_at = now + timedelta(days=1)
        page.save()
    elif kind in ("password", "login"):
        PageViewRestriction.objects.create(page=page, restriction_type=kind, password="x")
    elif kind == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Socias"))
    elif kind == "child_of_private":
        PageViewRestriction.objects.create(page=index, restriction_type="login")
    elif kind == "deleted":
        page.delete()
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize("kind", HIDE_AFTER_SERVED)
def test_a_page_hidden_after_being_served_disappears_at_once(
    site_structure, graphql, django_capture_on_commit_callbacks, kind
):
    """The same paths, asked once before hiding (so every worker store holds the page, its
    body, translations and links) and again after: nothing of it is left."""
    index = _publish(site_structure.homes["es"], ServiceIndexPage(title="Área", slug="area"))
    page = make_service(index, title=f"{MARK} {kind}", slug="oculta")
    sibling = make_service(site_structure.service_indexes["en"], title="Pública", slug="publica")
    ServicePage.objects.filter(pk=sibling.pk).update(translation_key=page.translation_key)
    linking = make_service(
        site_structure.service_indexes["es"], title="Enlaza", slug="enlaza", body=_cta(page)
    )
    spanish = {"path": f"/es/area/{page.slug}/", "id": str(page.pk), "slug": page.slug}
    anywhere = {
        "ownPath": page.url_path,
        "id": str(page.pk),
        "slug": page.slug,
        "locale": "es",
    }
    links = """
    query ($sibling: ID!, $linking: ID!) {
      sibling: page(id: $sibling) { title translations { title } }
      linking: page(id: $linking) { ... on ServicePage { callToAction { url } } }
    }
    """
    link_variables = {"sibling": str(sibling.pk), "linking": str(linking.pk)}
    served = [
        graphql(SPANISH_QUERY, spanish),
        graphql(ANY_LANGUAGE_QUERY, anywhere),
        graphql(links, link_variables),
    ]
    assert served[0]["data"]["byPath"]["title"] == f"{MARK} {kind}"
    assert served[2]["data"]["sibling"]["translations"] == [{"title": f"{MARK} {kind}"}]
    assert served[2]["data"]["linking"]["callToAction"]["url"] == page.url

    with django_capture_on_commit_callbacks(execute=True):
        _hide(kind, page, index)

    _assert_nothing_found(graphql(SPANISH_QUERY, spanish), kind)
    _assert_nothing_found(graphql(ANY_LANGUAGE_QUERY, anywhere), kind)
    assert graphql(links, link_variables) == {
        "data": {
            "sibling": {"title": "Pública", "translations": []},
            "linking": {"callToAction": {"url": None}},
        }
    }, kind


# The leak matrix of issue 14: hidden projects in every list that links to them, hidden
# services in every list of links. (An English-only project is public in English: through
# the snippets' language fallback it rightly appears, so "other_language" is left out.)
LINKED_KINDS = [kind for kind in HIDDEN_KINDS if kind != "other_language"]


def make_hidden_project(kind: str, structure, locales, links: dict):
    """A project page that must stay invisible, whose title carries MARK."""
    from projects.models import ProjectIndexPage, ProjectPage
    from tests.factories import make_project

    title, slug = f"{MARK} {kind}", f"oculto-{kind.replace('_', '-')}"
    index = structure.project_indexes["es"]
    if kind == "draft_only":
        return make_project(index, title=title, slug=slug, publish=False, links=links)
    if kind == "child_of_private":
        private = _publish(structure.homes["es"], ProjectIndexPage(title="Privado", slug="privado"))
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        return make_project(private, title=title, slug=slug, links=links)
    if kind == "other_site":
        home = _publish(
            Page.get_first_root_node(), HomePage(title="Otra", slug="otra", locale=locales["es"])
        )
        Site.objects.create(hostname="other.example", port=80, root_page=home)
        other_index = _publish(home, ProjectIndexPage(title="Proyectos", slug="projects"))
        return make_project(other_index, title=title, slug=slug, links=links)
    page = make_project(index, title=title, slug=slug, links=links)
    now = timezone.now()
    if kind == "unpublished":
        page.unpublish()
    elif kind == "scheduled":
        ProjectPage.objects.filter(pk=page.pk).update(go_live_at=now + timedelta(days=1))
    elif kind == "expired":
        ProjectPage.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    elif kind == "password":
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    elif kind == "login":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif kind == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Socias"))
    else:
        raise AssertionError(kind)
    return page


PROJECT_LISTS = """
query ($path: String!, $slug: String!) {
  service(slug: "servicio", locale: "es") { projects { title } }
  category(slug: "area", locale: "es") { projects { title } }
  member(slug: "ag", locale: "es") { projects { title } }
  collaborator(slug: "socia", locale: "es") { projects { title } }
  members(locale: "es") { projects { title } }
  collaborators(locale: "es") { projects { title } }
  project(slug: $slug, locale: "es") { title }
  projectFallback: project(slug: $slug, locale: "ca", fallback: true) { title }
  byPath: page(path: $path) { title }
  search(query: "Zarzamora", locale: "es") { title }
  projects(locale: "es", first: 50) { totalCount edges { node { title } } }
  projectsFallback: projects(locale: "ca", fallback: true) {
    totalCount edges { node { title } }
  }
  byService: projects(filters: {service: "servicio"}) { totalCount edges { node { title } } }
  byCategory: projects(filters: {category: "area"}) { totalCount edges { node { title } } }
  byMember: projects(filters: {member: "ag"}) { totalCount edges { node { title } } }
  byCollaborator: projects(filters: {collaborator: "socia"}) {
    totalCount edges { node { title } }
  }
  byText: projects(filters: {search: "Zarzamora"}) { totalCount edges { node { title } } }
}
"""


@pytest.fixture
def linked_targets(site_structure, locales):
    from tests.factories import make_category, make_member, make_project

    service = make_service(site_structure.service_indexes["es"], title="Servicio", slug="servicio")
    category = make_category(
        site_structure.category_indexes["es"], title="Área", slug="area", services=[service]
    )
    member = make_member(locales["es"], slug="ag", name="Ana")
    collaborator = Collaborator.objects.create(name="Socia", slug="socia", locale=locales["es"])
    links = {
        "services": [service],
        "categories": [category],
        "members": [member],
        "collaborators": [collaborator],
    }
    public = make_project(
        site_structure.project_indexes["es"], title="Público", slug="publico", links=links
    )
    return {"service": service, "category": category, "links": links, "public": public}


@pytest.mark.parametrize("kind", LINKED_KINDS)
def test_hidden_project_never_listed_by_what_it_names(
    kind, linked_targets, site_structure, locales, graphql
):
    hidden = make_hidden_project(kind, site_structure, locales, linked_targets["links"])
    response = graphql(PROJECT_LISTS, {"path": hidden.url_path, "slug": hidden.slug})
    assert "errors" not in response, response
    data = response["data"]
    public = [{"title": "Público"}]
    for field in ("service", "category", "member", "collaborator"):
        assert data[field] == {"projects": public}, (kind, field)
    assert data["members"] == [{"projects": public}], kind
    assert data["collaborators"] == [{"projects": public}], kind
    for field in ("project", "projectFallback", "byPath"):
        assert data[field] is None, (kind, field)
    assert data["search"] == [], kind
    listing = {"totalCount": 1, "edges": [{"node": {"title": "Público"}}]}
    for field in ("projects", "projectsFallback", "byService", "byCategory", "byMember"):
        assert data[field] == listing, (kind, field)
    assert data["byCollaborator"] == listing, kind
    assert data["byText"] == {"totalCount": 0, "edges": []}, kind
    assert MARK not in json.dumps(response), kind


LINKED_SERVICES = """
query ($slug: String!) {
  project(slug: "publico", locale: "es") { services { title } }
  category(slug: "area", locale: "es") { services { title } }
  collaborator(slug: "socia", locale: "es") { services { title } }
  byService: projects(filters: {service: $slug}) { totalCount edges { node { title } } }
}
"""


@pytest.mark.parametrize("kind", LINKED_KINDS)
def test_hidden_service_never_listed_by_what_names_it(kind, site_structure, locales, graphql):
    from tests.factories import make_category, make_project

    hidden = make_hidden(kind, site_structure, locales)
    collaborator = Collaborator.objects.create(name="Socia", slug="socia", locale=locales["es"])
    hidden.body = [("collaborators", {"title": "", "collaborators": [collaborator]})]
    hidden.save()
    make_project(
        site_structure.project_indexes["es"],
        title="Público",
        slug="publico",
        links={"services": [hidden]},
    )
    make_category(
        site_structure.category_indexes["es"], title="Área", slug="area", services=[hidden]
    )
    response = graphql(LINKED_SERVICES, {"slug": hidden.slug})
    assert response == {
        "data": {
            "project": {"services": []},
            "category": {"services": []},
            "collaborator": {"services": []},
            "byService": {"totalCount": 0, "edges": []},
        }
    }, kind


# Standard pages and contact forms -----------------------------------------------------------


def make_hidden_generic(kind: str, structure, locales, build):
    """A page built by ``build(parent, title=, slug=, publish=)`` that must stay invisible."""
    title, slug = f"{MARK} {kind}", f"oculto-{kind.replace('_', '-')}"
    home = structure.homes["es"]
    if kind == "draft_only":
        return build(home, title=title, slug=slug, publish=False)
    if kind == "other_language":
        return build(structure.homes["en"], title=title, slug=slug)
    if kind == "child_of_private":
        private = make_standard_page(home, title="Privado", slug="privado")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        return build(private, title=title, slug=slug)
    if kind == "other_site":
        other = _publish(
            Page.get_first_root_node(), HomePage(title="Otra", slug="otra", locale=locales["es"])
        )
        Site.objects.create(hostname="other.example", port=80, root_page=other)
        return build(other, title=title, slug=slug)
    page = build(home, title=title, slug=slug)
    now = timezone.now()
    if kind == "unpublished":
        page.unpublish()
    elif kind == "scheduled":
        Page.objects.filter(pk=page.pk).update(go_live_at=now + timedelta(days=1))
    elif kind == "expired":
        Page.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    elif kind == "password":
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    elif kind == "login":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif kind == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Socias"))
    else:
        raise AssertionError(kind)
    return type(page).objects.get(pk=page.pk)


GENERIC_QUERY = """
query ($path: String!, $handle: String!) {
  page(path: $path) { title }
  form(handle: $handle) { title fields { label } }
  site(locale: "es") { menus { items { label url page { title } children { label } } } }
  service(slug: "con-cta") { body { ... on CallToActionBlock { url form { title } } }
    callToAction { url form { title } } }
  search(query: "Zarzamora", locale: "es") { title }
}
"""


@pytest.mark.parametrize("what", ["standard", "form"])
@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_standard_page_or_form_never_appears(what, kind, site_structure, locales, graphql):
    """A hidden standard page or contact form is never served by page(path), form(), a
    call to action (its form or its page), a menu, or search."""
    from tests.factories import call_to_action_form, make_contact_form, make_menu, menu_item

    build = make_standard_page if what == "standard" else make_contact_form
    hidden = make_hidden_generic(kind, site_structure, locales, build)
    target = "form" if what == "form" else "page"
    cta = (
        call_to_action_form("¿Hablamos?", hidden)
        if what == "form"
        else [
            (
                "call_to_action",
                {"text": "t", "button_label": "b", "page": hidden, "url": ""},
            )
        ]
    )
    make_service(
        site_structure.service_indexes["es"],
        title="Con CTA",
        slug="con-cta",
        body=cta,
        call_to_action=cta,
    )
    make_menu(
        locales["es"],
        "footer",
        [
            menu_item(f"{MARK} menu", page=hidden),
            menu_item("Otro", url="/es/", children=[(MARK, hidden, "")]),
        ],
    )
    response = graphql(GENERIC_QUERY, {"path": f"/es/{hidden.slug}/", "handle": hidden.slug})
    assert "errors" not in response, response["errors"]
    data = response["data"]
    assert data["page"] is None
    assert data["form"] is None
    assert data["search"] == []
    if kind == "other_language":
        # Public in English: a Spanish lookup misses it, a link an editor made still works.
        return
    assert data["site"]["menus"] == [
        {"items": [{"label": "Otro", "url": "/es/", "page": None, "children": []}]}
    ]
    cta_block = {"url": None, "form": None}
    assert data["service"] == {"body": [cta_block], "callToAction": cta_block}, target
    assert MARK not in json.dumps(response)


def test_hidden_form_cannot_be_sent(site_structure, locales, graphql):
    from wagtail.contrib.forms.models import FormSubmission

    from tests.factories import make_contact_form

    for kind in ("draft_only", "login", "other_site"):
        hidden = make_hidden_generic(kind, site_structure, locales, make_contact_form)
        response = graphql(
            'mutation ($h: String!) { submitForm(handle: $h, locale: "es", values: []) { ok } }',
            {"h": hidden.slug},
        )
        assert response["errors"][0]["extensions"]["code"] == "FORM_NOT_FOUND", kind
    assert FormSubmission.objects.count() == 0


# The public site's fields: paths, seo.alternates (and jsonLd) and redirect(path:).
PUBLIC_SITE_QUERY = """
query ($sibling: ID!) {
  es: paths(locale: "es", first: 50) { totalCount edges { node { path type } } }
  all: paths(first: 50) { totalCount edges { node { path } } }
  sibling: page(id: $sibling) { seo { alternates { hreflang url } jsonLd } }
  redirect(path: "/viejo/zarzamora.html") { to permanent }
}
"""


@pytest.mark.parametrize("hidden_setup", HIDDEN_KINDS, indirect=True)
def test_hidden_page_not_in_paths_alternates_nor_redirects(hidden_setup, graphql, settings):
    from wagtail.contrib.redirects.models import Redirect

    settings.CIVIC_FRONTEND_URL = "https://www.example.org"
    kind, hidden, sibling, _linking = hidden_setup
    Redirect.add_redirect("/viejo/zarzamora.html", hidden)
    response = graphql(PUBLIC_SITE_QUERY, {"sibling": str(sibling.pk)})
    assert "errors" not in response, response
    data = response["data"]
    assert data["all"]["totalCount"] == len(data["all"]["edges"]), kind
    paths = {edge["node"]["path"] for edge in data["all"]["edges"]}
    hidden_path = f"/{hidden.locale.language_code}/services/{hidden.slug}/"
    if kind != "other_language":
        assert hidden_path not in paths, kind
    assert {"/es/services/enlaza/", "/es/"} <= paths, kind
    assert data["es"]["totalCount"] == len(data["es"]["edges"]), kind
    code = sibling.locale.language_code
    sibling_url = f"https://www.example.org/{code}/services/publica/"
    if kind == "other_language":
        # Public in English, and not a translation of the sibling: its redirect works.
        assert data["redirect"] == {"to": hidden_path, "permanent": True}
    else:
        # A redirect to the hidden page leads to its public version in another language
        # (the sibling), never to the hidden page itself.
        assert data["redirect"] == {"to": f"/{code}/services/publica/", "permanent": True}, kind
        assert data["sibling"]["seo"]["alternates"] == [
            {"hreflang": code, "url": sibling_url},
            {"hreflang": "x-default", "url": sibling_url},
        ], kind
        assert MARK not in json.dumps(response), kind
        assert hidden.slug not in json.dumps(response), kind
