"""Links between content, computed from the side that stores them.

A project names its services, categories, members and collaborators; those links are
stored once, on the project. Everything that reads them the other way round (the projects
of a service, of a member...) computes them here. Links point at one language version of
their target; wagtail-localize copies them unchanged into translations (as it does for page
links), so a link is followed by translation key into the reader's language.
"""

from collections.abc import Iterable

from django.db import models
from wagtail.models import Locale

from .public import Public


def one_per_translation(objects: Iterable[models.Model], locale: Locale | None) -> list:
    """One object per translation key, the one in ``locale`` where there is one, in order."""
    chosen: dict = {}
    for obj in objects:
        key = obj.translation_key
        current = chosen.get(key)
        if current is None or (locale is not None and obj.locale_id == locale.pk):
            chosen[key] = obj
    return list(chosen.values())


# How a project reaches each kind of object it names: "<link relation>__<field>".
PROJECT_LINKS = {
    "services.servicepage": "service_links__service",
    "categories.categorypage": "category_links__category",
    "cms.member": "member_links__member",
    "cms.collaborator": "collaborator_links__collaborator",
}


def _label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def projects_naming(obj: models.Model) -> list:
    """The projects, in any state, that name ``obj`` or one of its translations.

    One per project, in ``obj``'s language where the project has a version in it. For the
    edit screens: readers get the API's visible subset.
    """
    from projects.models import ProjectPage

    lookup = PROJECT_LINKS[_label(getattr(obj, "specific", obj))]
    projects = (
        ProjectPage.objects.filter(**{f"{lookup}__translation_key": obj.translation_key})
        .distinct()
        .select_related("locale")
        .order_by("title", "pk")
    )
    return one_per_translation(projects, obj.locale)


def categories_naming(service: models.Model) -> list:
    """The categories, in any state, that group ``service`` or one of its translations."""
    from categories.models import CategoryPage

    categories = (
        CategoryPage.objects.filter(service_links__service__translation_key=service.translation_key)
        .distinct()
        .select_related("locale")
        .order_by("title", "pk")
    )
    return one_per_translation(categories, service.locale)


def services_naming(collaborator: models.Model) -> list:
    """The service pages, in any state, whose current content names ``collaborator``.

    Read from the pages' stored bodies (the live content of published pages), so a draft
    that adds or removes a collaborator changes nothing until it is published.
    """
    from services.models import ServicePage

    ids = set(
        type(collaborator)
        .objects.filter(translation_key=collaborator.translation_key)
        .values_list("pk", flat=True)
    )
    found = [
        page
        for page in ServicePage.objects.select_related("locale").order_by("title", "pk")
        if ids.intersection(collaborator_ids(page.body.raw_data))
    ]
    return one_per_translation(found, collaborator.locale)


def collaborator_ids(raw_stream) -> list[int]:
    """The collaborator ids a stream's raw JSON names, in order, without building blocks.

    A ListBlock item is stored as {"type": "item", "value": pk, "id": ...}; older data
    stores the bare pk.
    """
    found: list[int] = []
    for block in raw_stream or []:
        if not isinstance(block, dict) or block.get("type") != "collaborators":
            continue
        for item in (block.get("value") or {}).get("collaborators") or []:
            pk = item.get("value") if isinstance(item, dict) else item
            if isinstance(pk, int) and pk not in found:
                found.append(pk)
    return found


def public_versions(public: Public, model, keys: list, locale: Locale) -> list:
    """The public version of each translation key, in ``locale`` where there is one.

    For the server-side templates (Wagtail's own page serving and preview); pages must be
    public by the site's rules (cms.public), snippets have no state. Keeps the order of
    ``keys``.
    """
    queryset = model.objects.filter(translation_key__in=keys).select_related("locale")
    if hasattr(queryset, "live"):
        queryset = public.pages(queryset)
    chosen = {obj.translation_key: obj for obj in one_per_translation(queryset, locale)}
    return [chosen[key] for key in dict.fromkeys(keys) if key in chosen]
