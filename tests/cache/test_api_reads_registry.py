"""The API reads no model the invalidation registry lacks.

A representative set of queries (a service with every kind of block, the services listing,
page by path and by id, search, collaborators, one collaborator, languages) runs over HTTP
while every SQL statement is captured. Each table read is mapped to its model (auto-created
many-to-many tables included), and each model must be watched by the registry (a page type
counts as Page, the rendition model as the image model) or listed in UNWATCHED with its
reason. If a model were left out of the registry, its cache could serve what readers must
no longer see: the parametrised check removes each entry the queries depend on and shows
the check then names that model.
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from graphql_api.invalidation import (
    DOCUMENTS,
    IMAGES,
    REGISTRY,
    SNIPPETS,
    UNWATCHED,
    events_for,
    uncovered,
)
from tests.graphql_api.queries import (
    CATEGORY,
    FRAGMENTS,
    MEMBERS,
    PROJECTS,
    SERVICE,
    SERVICES,
)

pytestmark = pytest.mark.django_db

PAGE_BY_PATH = (
    """
query ($path: String!) {
  page(path: $path) { __typename id title url ...ServiceFields }
}
"""
    + FRAGMENTS
)
PAGE_BY_ID = 'query ($id: ID!) { page(id: $id, locale: "es") { id title url } }'
SEARCH = 'query { search(query: "todo", locale: "es") { id title url } }'
COLLABORATORS = """query {
  collaborators(locale: "es") { slug name url logo { url alt rendition(preset: CARD) { url } } }
}"""
COLLABORATOR = 'query { collaborator(slug: "socio-0", locale: "es") { slug name logo { url } } }'
LOCALES = "query { locales { code name isDefault } }"
# Issue 14: projects with every relation, categories, the team, states and reverse links.
PROJECTS_ALL = PROJECTS
CATEGORY_ALL = CATEGORY
MEMBERS_ALL = MEMBERS
REVERSE = """query {
  projectStates(locale: "es") { slug title }
  service(slug: "financiacion", locale: "es") { projects { title } categories { title } }
  collaborator(slug: "socio-0", locale: "es") { projects { title } services { title } }
  filtered: projects(filters: {state: "open", member: "ag", category: "cultura-futura",
    service: "financiacion", collaborator: "socio-0"}) { totalCount }
}"""

# Issue 15: the site's chrome, a contact form, the home page and a standard page.
SITE = """query { site(locale: "ca", fallback: true) {
  name homePage { title }
  menus { handle items { label url page { title } children { label url } } }
  socialLinks { kind url } strings { key value }
  newsletter { title } contact { email } } }"""
FORM = """query { form(handle: "cta-contact-service", locale: "es") {
  title image { url } fields { name type } } }"""
HOME_AND_STANDARD = """query {
  home: page(path: "/es/") { ... on HomePage { heroTitle { plain } image { url }
    values { items { html } image { url } } } }
  about: page(path: "/es/sobre-nosotros/") { ... on StandardPage { image { url }
    body { ... on CallToActionBlock { form { title fields { name } } } } } } }"""

TABLE = re.compile(r'(?:FROM|JOIN|INTO|UPDATE)\s+"([^"]+)"', re.IGNORECASE)


# The public site's fields: seo (the frontend setting, social links), paths, redirects.
PUBLIC_SITE = """query ($path: String!) {
  page(path: $path) { seo { canonicalUrl image { url } alternates { url } jsonLd } }
  paths(first: 5) { totalCount edges { node { path type } } }
  redirect(path: "/viejo") { to }
}"""


def _issue_15_content(images) -> None:
    from wagtail.models import Locale

    from cms.models import HomePage
    from tests.factories import (
        call_to_action_form,
        make_contact_form,
        make_menu,
        make_site_texts,
        make_standard_page,
        menu_item,
        set_social_links,
    )

    home = HomePage.objects.get(url_path="/es/")
    home.hero_title, home.image, home.values_image = "==Hola==", images[0], images[1]
    home.values = [("value", "**Uno**")]
    home.save_revision().publish()
    form = make_contact_form(home, image=images[2], fields=[("name", "Nombre", "singleline", True)])
    about = make_standard_page(
        home, title="Sobre", image=images[0], body=call_to_action_form("¿Hablamos?", form)
    )
    es = Locale.objects.get(language_code="es")
    make_site_texts(es, strings=[("k", "v")], newsletter_title="N", contact_email="a@b.org")
    make_menu(es, "footer", [menu_item("Sobre", page=about, children=[("F", form, "")])])
    set_social_links(("github", "https://github.com/civic"))


def models_by_table() -> dict[str, type]:
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


@pytest.fixture
def tables_read(make_rich_service, project_world, graphql):
    """Every table the representative queries read, once the content exists."""
    service = make_rich_service("todo", title="Todo en uno", search_description="todo")
    Redirect.add_redirect("/viejo", service)
    make_rich_service("otro", title="Otro servicio")
    _issue_15_content(project_world["images"])
    runs = [
        (SERVICE, {"slug": "todo", "locale": "es"}),
        (SERVICES, {"first": 10, "locale": "es"}),
        (PAGE_BY_PATH, {"path": service.url_path.removeprefix("/es")}),
        (PAGE_BY_ID, {"id": str(service.pk)}),
        (SEARCH, {}),
        (COLLABORATORS, {}),
        (COLLABORATOR, {}),
        (LOCALES, {}),
        (PROJECTS_ALL, {"first": 10, "locale": "es"}),
        (CATEGORY_ALL, {"slug": "cultura-futura", "locale": "es"}),
        (MEMBERS_ALL, {"locale": "en"}),
        (REVERSE, {}),
        (SITE, {}),
        (FORM, {}),
        (HOME_AND_STANDARD, {}),
        (PUBLIC_SITE, {"path": service.url_path.removeprefix("/es")}),
    ]
    with CaptureQueriesContext(connection) as captured:
        answers = [graphql(query, variables) for query, variables in runs]
    assert [answer.get("errors") for answer in answers] == [None] * len(runs)
    assert answers[0]["data"]["service"]["title"] == "Todo en uno"
    assert answers[4]["data"]["search"][0]["title"] == "Todo en uno"
    assert answers[6]["data"]["collaborator"]["slug"] == "socio-0"
    assert answers[8]["data"]["projects"]["edges"][0]["node"]["members"]
    assert answers[11]["data"]["filtered"]["totalCount"] == 1
    assert answers[12]["data"]["site"]["menus"][0]["items"][0]["page"]["title"] == "Sobre"
    assert answers[12]["data"]["site"]["strings"] == [{"key": "k", "value": "v"}]
    assert answers[13]["data"]["form"]["fields"] == [{"name": "name", "type": "SINGLELINE"}]
    assert answers[14]["data"]["about"]["body"][0]["form"]["title"] == "Contacto"
    assert answers[15]["data"]["redirect"] == {"to": service.url}
    return {table for query in captured.captured_queries for table in TABLE.findall(query["sql"])}


def test_every_model_the_api_reads_is_watched(tables_read):
    by_table = models_by_table()
    assert tables_read - set(by_table) == set(), "tables that belong to no model"
    read = {by_table[table] for table in tables_read}
    # The reads this check stands on (sanity: the capture saw the API's work).
    assert {"wagtailcore_page", "wagtailcore_site", "wagtailcore_locale"} <= tables_read
    assert uncovered(read) == set()


def test_unwatched_holds_only_what_cannot_change_an_answer():
    """UNWATCHED is no place to hide a model: adding one is a decision this test records.

    Content types are written by migrations; the search index (and SQLite's full-text table
    of it) is written from watched rows in their own save; image placeholders by the task
    worker, and an answer read without one is kept nowhere; wagtail-localize's strings are
    written once, with the watched segments that name them.
    """
    assert {entry.model for entry in UNWATCHED} == {
        "delivery.ImagePlaceholder",
        "contenttypes.ContentType",
        "wagtailsearch.IndexEntry",
        "wagtailsearch.SQLiteFTSIndexEntry",
        "wagtail_localize.String",
    }


# Entries whose models every representative run reads: removing one must be reported.
READ_BY_EVERY_RUN = {"wagtailcore.Page", IMAGES, DOCUMENTS, "wagtailcore.Locale", SNIPPETS}


@pytest.mark.parametrize("entry", [watched.model for watched in REGISTRY])
def test_the_check_names_a_model_missing_from_the_registry(entry, tables_read):
    """Without an entry the API's reads depend on, the check reports that entry's models.

    Entries whose models the queries do not read (revisions, restriction groups) change
    nothing when removed; the test says so by skipping, except for the entries every run
    reads, which must be reported.
    """
    by_table = models_by_table()
    read = {by_table[table] for table in tables_read}
    (removed,) = [watched for watched in REGISTRY if watched.model == entry]
    kept = tuple(watched for watched in REGISTRY if watched is not removed)
    missing = uncovered(read, registry=kept)
    if not missing and entry not in READ_BY_EVERY_RUN:
        pytest.skip(f"the representative queries read no model only {entry} watches")
    assert missing, f"removing {entry} went unnoticed"
    # What is reported is exactly what that entry alone watched.
    assert missing == {
        model
        for model in read
        if watched_by(removed, model) and not any(watched_by(other, model) for other in kept)
    }


def watched_by(entry, model) -> bool:
    """Whether the registry entry covers ``model`` (a rendition through its image model)."""
    if events_for(model, (entry,)):
        return True
    image_model = get_image_model()
    return entry.model == IMAGES and model is image_model.get_rendition_model()
