"""The one way any path of the API reads a model: through its type's ``get_queryset``.

Root lookups, listings, search, translations, breadcrumbs and the objects blocks point to
all start from ``visible(info, queryset)``, which hands the queryset to the strawberry type
that serves the model. A model no type serves is never read.
"""

from functools import cache

from django.db.models import Model, QuerySet
from strawberry import Info


@cache
def _types() -> tuple[tuple[type[Model], type], ...]:
    # Imported here: the type modules use the loader, which uses this module.
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Page

    from cms.models import Collaborator, Member
    from delivery.models import FrontendSettings
    from projects.models import ProjectState
    from sitewide.models import Menu, SiteTexts, SocialSettings

    from .collaborators import CollaboratorType
    from .frontend import FrontendSettingsRule
    from .images import DocumentType, ImageType
    from .locales import LocaleType
    from .members import MemberType, ProjectStateType
    from .pages import PageInterface
    from .redirects import RedirectRule
    from .site import MenuType, NewsletterType, SocialSettingsRule

    return (
        (Page, PageInterface),
        (get_image_model(), ImageType),
        (get_document_model(), DocumentType),
        (Collaborator, CollaboratorType),
        (Member, MemberType),
        (ProjectState, ProjectStateType),
        (Locale, LocaleType),
        (Menu, MenuType),
        (SiteTexts, NewsletterType),
        (SocialSettings, SocialSettingsRule),
        (FrontendSettings, FrontendSettingsRule),
        (Redirect, RedirectRule),
    )


@cache
def type_for(model: type[Model]) -> type:
    """The strawberry type whose ``get_queryset`` decides what of ``model`` is visible."""
    for served, api_type in _types():
        if issubclass(model, served):
            return api_type
    raise LookupError(f"The API serves no {model._meta.label}.")


def visible(info: Info, queryset: QuerySet) -> QuerySet:
    """``queryset`` narrowed by the visibility hook of its model's type."""
    return type_for(queryset.model).get_queryset(queryset, info)
