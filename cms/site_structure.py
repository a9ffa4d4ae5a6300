"""The page tree every installation starts from: a home and the collection indexes per language."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from categories.models import CategoryIndexPage
from projects.models import ProjectIndexPage
from services.models import ServiceIndexPage

from .models import HomePage

HOME_TITLES = {"es": "Inicio", "en": "Home", "ca": "Inici"}
SERVICES_TITLES = {"es": "Servicios", "en": "Services", "ca": "Serveis"}
SERVICES_SLUG = "services"
PROJECTS_TITLES = {"es": "Proyectos", "en": "Projects", "ca": "Projectes"}
PROJECTS_SLUG = "projects"
CATEGORIES_TITLES = {"es": "Categorías", "en": "Categories", "ca": "Categories"}
CATEGORIES_SLUG = "categories"


@dataclass
class SiteStructure:
    """The home page and the collection indexes of each language, by language code."""

    site: Site
    homes: dict[str, HomePage]
    service_indexes: dict[str, ServiceIndexPage]
    project_indexes: dict[str, ProjectIndexPage]
    category_indexes: dict[str, CategoryIndexPage]


def ensure_locales() -> dict[str, Locale]:
    """Create a Locale for every configured content language; return them by code."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
    }


def _default_home(locale: Locale) -> tuple[Site, HomePage]:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.specific if site else None
    if isinstance(root, HomePage):
        return site, root

    code = locale.language_code
    home = HomePage(title=HOME_TITLES.get(code, "Home"), slug=code, locale=locale)
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    else:
        old_root = site.root_page
        site.root_page = home
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
        # Wagtail's placeholder welcome page is replaced; real content is never removed.
        if type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return site, home


def _translation_of(page: Page, locale: Locale, title: str, slug: str | None = None) -> Page:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale).specific
    copy.title = title
    copy.draft_title = title
    if slug:
        copy.slug = slug
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def _index(home: HomePage, model, slug: str, titles: dict[str, str]):
    index = model.objects.child_of(home).filter(slug=slug).first()
    if index is None:
        index = model(title=titles.get(home.locale.language_code, slug.title()), slug=slug)
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


@transaction.atomic
def ensure_site_structure() -> SiteStructure:
    """Create what is missing of the home and index pages in each language; idempotent."""
    locales = ensure_locales()
    default = locales[settings.LANGUAGE_CODE]
    site, home = _default_home(default)

    kinds = {
        "services": (ServiceIndexPage, SERVICES_SLUG, SERVICES_TITLES),
        "projects": (ProjectIndexPage, PROJECTS_SLUG, PROJECTS_TITLES),
        "categories": (CategoryIndexPage, CATEGORIES_SLUG, CATEGORIES_TITLES),
    }
    homes: dict[str, HomePage] = {default.language_code: home}
    indexes: dict[str, dict] = {
        kind: {default.language_code: _index(home, model, slug, titles)}
        for kind, (model, slug, titles) in kinds.items()
    }
    for code, locale in locales.items():
        if locale == default:
            continue
        homes[code] = _translation_of(home, locale, HOME_TITLES.get(code, home.title), slug=code)
        for kind, (_model, _slug, titles) in kinds.items():
            source = indexes[kind][default.language_code]
            indexes[kind][code] = _translation_of(source, locale, titles.get(code, source.title))
    return SiteStructure(
        site=site,
        homes=homes,
        service_indexes=indexes["services"],
        project_indexes=indexes["projects"],
        category_indexes=indexes["categories"],
    )
