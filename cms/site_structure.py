"""The page tree every installation starts from: a home and a services index per language."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from services.models import ServiceIndexPage

from .models import HomePage

HOME_TITLES = {"es": "Inicio", "en": "Home", "ca": "Inici"}
SERVICES_TITLES = {"es": "Servicios", "en": "Services", "ca": "Serveis"}
SERVICES_SLUG = "services"


@dataclass
class SiteStructure:
    """The home page and services index of each language, by language code."""

    site: Site
    homes: dict[str, HomePage]
    service_indexes: dict[str, ServiceIndexPage]


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


@transaction.atomic
def ensure_site_structure() -> SiteStructure:
    """Create what is missing of the home and services pages in each language; idempotent."""
    locales = ensure_locales()
    default = locales[settings.LANGUAGE_CODE]
    site, home = _default_home(default)

    index = ServiceIndexPage.objects.child_of(home).filter(slug=SERVICES_SLUG).first()
    if index is None:
        index = ServiceIndexPage(
            title=SERVICES_TITLES.get(default.language_code, "Services"), slug=SERVICES_SLUG
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    homes: dict[str, HomePage] = {default.language_code: home}
    indexes: dict[str, ServiceIndexPage] = {default.language_code: index}
    for code, locale in locales.items():
        if locale == default:
            continue
        homes[code] = _translation_of(home, locale, HOME_TITLES.get(code, home.title), slug=code)
        indexes[code] = _translation_of(index, locale, SERVICES_TITLES.get(code, index.title))
    return SiteStructure(site=site, homes=homes, service_indexes=indexes)
