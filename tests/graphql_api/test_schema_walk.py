"""Every field of the schema that returns something that can be hidden, walked: a hidden
object of each kind never comes out of any of them.

The queries are generated from the schema itself: from each root field, every field of
every type down to a depth, each possible type of an interface or union spelled out. The
world links a visible and a hidden object of each kind from every place that can name one
(page fields, every block, link rows, menus, calls to action), and every hidden object
carries MARK in its title, name, slug or file name. So:

- no answer holds MARK;
- every field whose type can be hidden gave a visible object somewhere (the probe is live:
  a field the world cannot reach fails here, and a new field is walked without being
  listed anywhere).
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
    is_non_null_type,
)
from wagtail.models import Collection, CollectionViewRestriction, Locale, PageViewRestriction

from cms.models import Collaborator
from graphql_api.schema import schema
from team.models import TeamIndexPage
from tests.factories import (
    call_to_action_form,
    make_category,
    make_contact_form,
    make_image,
    make_member,
    make_menu,
    make_project,
    make_service,
    make_standard_page,
    make_state,
    menu_item,
)
from tests.graphql_api.conftest import every_block_body, make_document, translate_page

pytestmark = pytest.mark.django_db

MARK = "oculto"
# Fields no world can fill: the home page has no ancestors on the site.
ALWAYS_EMPTY = {"HomePage.breadcrumbs": "the home page is the top of its site"}
# The types whose objects the public rules can hide, and the types that stand for one
# (a page named by a link, a translation, a breadcrumb, a path).
HIDEABLE = {
    "Image",
    "Document",
    "Collaborator",
    "Member",
    "ProjectState",
    "Form",
    "Page",
    "PageLink",
    "PagePath",
    "Translation",
    "Breadcrumb",
}
# How deep the generated selections go below a root field.
DEPTH = 6
# Values for the arguments fields take (by name), and the root fields walked with theirs.
ARGUMENTS = {"preset": "CARD", "handle": '"about_nav"', "handles": '["about_nav"]', "keys": "[]"}
ROOTS = {
    "service": '(slug: "mezcla", locale: "es")',
    "services": '(locale: "es", first: 50)',
    "project": '(slug: "mezcla", locale: "es")',
    "projects": '(locale: "es", first: 50)',
    "category": '(slug: "mezcla", locale: "es")',
    "categories": '(locale: "es")',
    "collaborator": '(slug: "socio-0", locale: "es")',
    "collaborators": '(locale: "es")',
    "member": '(slug: "ag", locale: "es")',
    "members": '(locale: "es")',
    "projectStates": '(locale: "es")',
    "page": [
        '(path: "/es/pagina-mezcla/")',
        '(path: "/es/")',
        '(path: "/es/services/")',
        '(path: "/es/projects/")',
        '(path: "/es/categories/")',
        '(path: "/es/team/")',
    ],
    "paths": '(locale: "es", first: 50)',
    "search": '(query: "mezcla", locale: "es")',
    "site": '(locale: "es")',
    "form": '(handle: "contacto-mezcla", locale: "es")',
    "locales": "",
    "redirect": '(path: "/es/antiguo/")',
}


def _hideable(type_name: str) -> bool:
    if type_name in HIDEABLE:
        return True
    graphql_type = schema._schema.get_type(type_name)
    page = schema._schema.get_type("Page")
    return isinstance(graphql_type, GraphQLObjectType) and page in graphql_type.interfaces


def _arguments(field) -> str | None:
    """The arguments to pass a field: its required ones from ARGUMENTS (None: one is
    unknown, the field is not walked; the test below says which)."""
    given = []
    for name, argument in field.args.items():
        if name in ARGUMENTS:
            given.append(f"{name}: {ARGUMENTS[name]}")
        elif is_non_null_type(argument.type) and argument.default_value is None:
            return None
    return f"({', '.join(given)})" if given else ""


def selection(graphql_type, depth: int, path: frozenset, walked: set) -> str:
    """Every field of ``graphql_type`` (aliased by type and field, so fragments on the
    possible types of a union never clash), to ``depth`` objects down, no type twice on a
    path."""
    if isinstance(graphql_type, (GraphQLInterfaceType, GraphQLUnionType)):
        possible = schema._schema.get_possible_types(graphql_type)
        return "__typename " + " ".join(
            f"... on {each.name} {{ {selection(each, depth, path, walked)} }}" for each in possible
        )
    parts = ["__typename"]
    for name, field in graphql_type.fields.items():
        arguments = _arguments(field)
        if arguments is None:
            continue
        target = get_named_type(field.type)
        alias = f"{graphql_type.name}_{name}: {name}{arguments}"
        if isinstance(target, (GraphQLScalarType, GraphQLEnumType)):
            parts.append(alias)
        elif depth > 0 and target.name not in path:
            walked.add(f"{graphql_type.name}.{name}")
            inner = selection(target, depth - 1, path | {target.name}, walked)
            parts.append(f"{alias} {{ {inner} }}")
    return " ".join(parts)


def root_queries(name: str, walked: set) -> list[str]:
    """The generated queries of one root field, one per set of arguments in ROOTS."""
    field = schema._schema.query_type.fields[name]
    target = get_named_type(field.type)
    walked.add(f"Query.{name}")
    arguments = ROOTS[name] if isinstance(ROOTS[name], list) else [ROOTS[name]]
    if isinstance(target, (GraphQLScalarType, GraphQLEnumType)):
        return [f"{{ {name}{each} }}" for each in arguments]
    inner = selection(target, DEPTH, frozenset({target.name}), walked)
    return [f"{{ {name}{each} {{ {inner} }} }}" for each in arguments]


def hideable_fields() -> set[str]:
    """Every field of the schema whose type (unwrapped) can be hidden. An interface's
    fields are those of the types that implement it, walked as theirs."""
    found = set()
    for type_name, graphql_type in schema._schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        if type_name in ("Mutation", "SubmitFormResult"):
            continue
        for name, field in graphql_type.fields.items():
            if _hideable(get_named_type(field.type).name):
                found.add(f"{type_name}.{name}")
    return found


def given(answer, found: set) -> None:
    """The aliases (Type_field) under which ``answer`` holds a value that is not empty."""
    if isinstance(answer, dict):
        for key, value in answer.items():
            if value not in (None, [], {}) and "_" in key:
                found.add(key.replace("_", ".", 1))
            given(value, found)
    elif isinstance(answer, list):
        for item in answer:
            given(item, found)


@pytest.fixture
def world(site_structure, locales, rich_content):
    """A visible and a hidden object of each kind, both named from everywhere."""
    es = locales["es"]
    french = Locale.objects.create(language_code="fr")  # not a language the site serves
    private = Collection.get_first_root_node().add_child(name="Privada")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    hidden_images = [
        make_image(f"{MARK} {i}", size=(800, 600), collection=private) for i in range(3)
    ]
    hidden_document = make_document(f"{MARK} informe", collection=private)
    hidden_collaborator = Collaborator.objects.create(
        name=f"{MARK} socio", slug=f"{MARK}-socio", logo=rich_content["images"][0], locale=french
    )
    hidden_member = make_member(french, slug=f"{MARK}-miembro", name=f"{MARK} miembro")
    services = site_structure.service_indexes["es"]
    hidden_service = make_service(services, title=f"{MARK} servicio", slug=f"{MARK}-servicio")
    PageViewRestriction.objects.create(page=hidden_service, restriction_type="login")
    hidden_category = make_category(
        site_structure.category_indexes["es"],
        title=f"{MARK} categoría",
        slug=f"{MARK}-categoria",
    )
    type(hidden_category).objects.filter(pk=hidden_category.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    hidden_form = make_contact_form(
        site_structure.homes["es"], title=f"{MARK} formulario", slug=f"{MARK}-formulario"
    )
    PageViewRestriction.objects.create(page=hidden_form, restriction_type="password", password="x")
    visible = rich_content
    visible_form = make_contact_form(
        site_structure.homes["es"],
        title="Contacto mezcla",
        slug="contacto-mezcla",
        image=visible["images"][0],
    )
    make_contact_form(
        site_structure.homes["es"], title="Otro contacto", slug="otro", image=hidden_images[0]
    )
    home = site_structure.homes["es"]
    home.image, home.values_image = visible["images"][0], visible["images"][1]
    home.save_revision().publish()

    service = make_service(services, title="Servicio visible", slug="visible")
    body = every_block_body(
        images=visible["images"],
        collaborators=visible["collaborators"],
        document=visible["document"],
        link_page=service,
    ) + every_block_body(
        images=hidden_images,
        collaborators=[hidden_collaborator],
        document=hidden_document,
        link_page=hidden_service,
    )
    calls = call_to_action_form("Escríbenos", visible_form) + call_to_action_form("No", hidden_form)
    mixed_service = make_service(
        services, title="Mezcla", slug="mezcla", body=body, image=visible["images"][0]
    )
    make_service(services, title="Con foto oculta", slug="foto", image=hidden_images[0])
    category = make_category(
        site_structure.category_indexes["es"],
        title="Mezcla",
        slug="mezcla",
        symbol=visible["images"][1],
        services=[service, mixed_service, hidden_service],
        call_to_action=calls[:1],
    )
    make_category(
        site_structure.category_indexes["es"], title="Otra", slug="otra", symbol=hidden_images[1]
    )
    ana = make_member(es, slug="ag", name="Ana García", photo=visible["images"][1])
    make_member(es, slug="bea", name="Bea", photo=hidden_images[2])
    state = make_state(es, slug="abierto", title="Abierto")
    project = make_project(
        site_structure.project_indexes["es"],
        title="Mezcla",
        slug="mezcla",
        body=body,
        banner_image=visible["images"][2],
        state=state,
        call_to_action=calls[:1],
        links={
            "services": [service, hidden_service],
            "categories": [category, hidden_category],
            "members": [ana, hidden_member],
            "collaborators": [visible["collaborators"][0], hidden_collaborator],
        },
    )
    make_project(
        site_structure.project_indexes["es"],
        title="Otro",
        slug="otro",
        banner_image=hidden_images[0],
        call_to_action=calls[1:],
        links={"services": [mixed_service]},
    )
    hidden_project = make_project(
        site_structure.project_indexes["es"],
        title=f"{MARK} proyecto",
        slug=f"{MARK}-proyecto",
        links={"services": [service], "categories": [category], "members": [ana]},
        publish=False,
    )
    standard = make_standard_page(
        site_structure.homes["es"],
        title="Página mezcla",
        slug="pagina-mezcla",
        body=body,
        image=visible["images"][2],
    )
    make_standard_page(
        site_structure.homes["es"], title="Otra página", slug="otra-pagina", image=hidden_images[2]
    )
    # Translations of each kind of page (the indexes and home pages have theirs).
    en = locales["en"]
    translate_page(mixed_service, en, title="Mix", slug="mix")
    translate_page(category, en, title="Mix", slug="mix")
    translate_page(project, en, title="Mix", slug="mix")
    translate_page(standard, en, title="Mix page", slug="mix-page")
    # The listings' pictures (a hidden one in English) and the team page in two languages.
    for indexes, image in (
        (site_structure.service_indexes, visible["images"][0]),
        (site_structure.project_indexes, visible["images"][1]),
        (site_structure.category_indexes, visible["images"][2]),
    ):
        for code, picture in (("es", image), ("en", hidden_images[0])):
            listing = type(indexes[code]).objects.get(pk=indexes[code].pk)
            listing.image = picture
            listing.save_revision().publish()
    team = TeamIndexPage(title="Equipo", slug="team", image=visible["images"][1])
    home.add_child(instance=team)
    team.save_revision().publish()
    translate_page(team, en, title="Team", image=hidden_images[1])
    make_menu(
        es,
        "about_nav",
        [
            menu_item("Uno", page=service, children=[("Dos", hidden_service, "")]),
            menu_item("Tres", page=hidden_project),
        ],
    )
    return locals()


def test_no_hidden_object_comes_out_of_any_field(world, graphql, settings):
    settings.CIVIC_GRAPHQL_MAX_DEPTH = 50
    settings.CIVIC_GRAPHQL_MAX_TOKENS = 10**6
    settings.CIVIC_GRAPHQL_MAX_ALIASES = 10**6
    walked: set[str] = set()
    found: set[str] = set()
    for name in ROOTS:
        for query in root_queries(name, walked):
            answer = graphql(query)
            assert "errors" not in answer, (name, answer.get("errors"))
            text = json.dumps(answer, ensure_ascii=False).lower()
            at = text.find(MARK)
            assert at < 0, (name, text[max(0, at - 300) : at + 80])
            given(answer["data"], found)
            if answer["data"][name] not in (None, []):
                found.add(f"Query.{name}")
    hideable = hideable_fields()
    # Every field that can give a hidden object is walked, and gave a visible one.
    assert hideable - walked == set()
    missing = sorted(hideable - found - set(ALWAYS_EMPTY))
    assert missing == [], "\n".join(missing)
    # Every root field is walked (a new one must be added to ROOTS, with its arguments).
    assert set(schema._schema.query_type.fields) == set(ROOTS)


def test_every_page_model_has_its_type():
    """A page type without a GraphQL type would be served by no field (the walk above would
    not see it): each page model of the project is in PAGE_TYPES, or is a contact form."""
    from django.apps import apps
    from wagtail.models import Page

    from contact.models import ContactFormPage
    from graphql_api.pages import PAGE_TYPES

    ours = {
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and model is not Page
        and not model.__module__.startswith("wagtail")
    }
    assert ours - set(PAGE_TYPES) == {ContactFormPage}
