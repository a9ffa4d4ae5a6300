"""The source site's collections, each stated once: its folder, what the CMS makes of its
files, what it references and what a translation must say in its own words.

The importer's order, its dispatch and its messages read this registry; nothing else
lists the collections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from categories.models import CategoryPage, CategoryService
from cms.models import Collaborator, Member
from contact.models import ContactFormPage
from generic.models import StandardPage
from projects.models import (
    ProjectCategory,
    ProjectCollaborator,
    ProjectMember,
    ProjectPage,
    ProjectService,
    ProjectState,
)
from services.models import ServicePage

# How a collection's files are laid out in its folder.
PER_LANGUAGE = "per-language"  # <folder>/<lang>/<slug>.md, one object per file
ALL_LANGUAGES = "all-languages"  # <folder>/<name>.md holding one part per language
DATA = "data"  # _data/: YAML files of site texts, menus and the home page's sections


@dataclass(frozen=True)
class Collection:
    """One collection of the source site and what the CMS makes of its files."""

    name: str
    folder: str
    # What one of its objects is called in messages ("no service with slug 'x'").
    kind: str
    layout: str = PER_LANGUAGE
    model: type[models.Model] | None = None
    # Its objects are pages (under the language's index), not snippets.
    page: bool = False
    # Front-matter fields naming objects of other collections: field -> collection.
    references: dict[str, str] = field(default_factory=dict)
    # Of those, the lists kept as link rows: field -> (relation, row's field, row model).
    link_rows: dict[str, tuple[str, str, type[models.Model]]] = field(default_factory=dict)
    # A translation saying none of these in its own words is a stub of its source.
    own_words: tuple[str, ...] = ()
    # Its files have a body (Markdown and tags) of their own.
    with_body: bool = False


# In import order: snippets first (pages name them), forms before the pages that open them,
# data last (menus link pages).
COLLECTIONS: tuple[Collection, ...] = (
    Collection("states", "_states", "state", model=ProjectState, own_words=("title",)),
    Collection(
        "members", "_members", "member", model=Member, own_words=("position", "description")
    ),
    Collection(
        "collaborators", "_collaborators", "collaborator", model=Collaborator, own_words=("title",)
    ),
    Collection(
        "call_to_actions",
        "_call_to_actions",
        "contact form",
        layout=ALL_LANGUAGES,
        model=ContactFormPage,
        page=True,
    ),
    Collection(
        "services",
        "_services",
        "service",
        model=ServicePage,
        page=True,
        own_words=("title", "description"),
        with_body=True,
    ),
    Collection(
        "categories",
        "_categories",
        "category",
        model=CategoryPage,
        page=True,
        references={"services": "services"},
        link_rows={"services": ("service_links", "service", CategoryService)},
        own_words=("title", "subtitle"),
    ),
    Collection(
        "projects",
        "_projects",
        "project",
        model=ProjectPage,
        page=True,
        references={
            "state": "states",
            "services": "services",
            "categories": "categories",
            "members": "members",
            "collaborators": "collaborators",
        },
        link_rows={
            "services": ("service_links", "service", ProjectService),
            "categories": ("category_links", "category", ProjectCategory),
            "members": ("member_links", "member", ProjectMember),
            "collaborators": ("collaborator_links", "collaborator", ProjectCollaborator),
        },
        own_words=("title", "subtitle", "description"),
        with_body=True,
    ),
    Collection(
        "pages",
        "_pages",
        "page",
        model=StandardPage,
        page=True,
        own_words=("title", "subtitle", "description"),
        with_body=True,
    ),
    Collection("data", "_data", "", layout=DATA),
)
BY_NAME: dict[str, Collection] = {c.name: c for c in COLLECTIONS}
BY_FOLDER: dict[str, Collection] = {c.folder: c for c in COLLECTIONS}

# Views of the registry, by collection name.
ORDER = tuple(c.name for c in COLLECTIONS)
SNIPPETS = {c.name: c.model for c in COLLECTIONS if c.model is not None and not c.page}
# Collections of one page per file and language.
PAGES = {c.name: c.model for c in COLLECTIONS if c.page and c.layout == PER_LANGUAGE}
KINDS = {c.name: c.kind for c in COLLECTIONS if c.kind}
REFERENCES = {c.name: c.references for c in COLLECTIONS if c.references}
LINK_ROWS = {(c.name, name): row for c in COLLECTIONS for name, row in c.link_rows.items()}
OWN_WORDS = {c.name: c.own_words for c in COLLECTIONS if c.own_words}
WITH_BODY = frozenset(c.name for c in COLLECTIONS if c.with_body)
