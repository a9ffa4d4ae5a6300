"""Languages: the Locale type, the `locales` query and the language fallback chain."""

from typing import Any

import strawberry
import strawberry_django
from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import get_language_info
from wagtail.models import Locale

from .conf import api_setting
from .context import get_context
from .errors import ApiError, ErrorCode
from .visibility import Visibility


@strawberry_django.type(
    Locale, name="Locale", description="A language the content is published in."
)
class LocaleType:
    @classmethod
    def get_queryset(cls, queryset: QuerySet, info: strawberry.Info, **kwargs: Any) -> QuerySet:
        """The configured content languages, the default first, then in settings order."""
        locales = list(get_context(info).visibility.locales.values())
        default = [loc for loc in locales if loc.language_code == settings.LANGUAGE_CODE]
        ordered = default + [loc for loc in locales if loc not in default]
        return queryset.filter(pk__in=[loc.pk for loc in ordered]).order_by(
            Case(
                *[When(pk=loc.pk, then=Value(i)) for i, loc in enumerate(ordered)],
                output_field=IntegerField(),
            )
        )

    @strawberry_django.field(description="The language code used in URLs and arguments, e.g. es.")
    def code(self) -> str:
        return self.language_code

    @strawberry_django.field(
        description="The language's name in that language (español, English, català), "
        "ready for a language switcher."
    )
    def name(self) -> str:
        try:
            return get_language_info(self.language_code)["name_local"]
        except KeyError:
            return self.language_code

    @strawberry_django.field(description="True for the site's default language.")
    def is_default(self) -> bool:
        return self.language_code == settings.LANGUAGE_CODE


def resolve_locale(visibility: Visibility, code: str | None) -> Locale:
    """The language for ``code``, the default language when no code is given."""
    code = code or settings.LANGUAGE_CODE
    locale = visibility.locales.get(code)
    if locale is None:
        known = ", ".join(visibility.locales)
        raise ApiError(f"Unknown locale '{code}'. Use one of: {known}.", ErrorCode.UNKNOWN_LOCALE)
    return locale


def fallback_chain(visibility: Visibility, locale: Locale, fallback: bool) -> list[Locale]:
    """The languages to try, best first: the asked one, then its configured fallbacks.

    Without a configured chain a language falls back to the default language.
    """
    if not fallback:
        return [locale]
    configured = api_setting("CIVIC_LANGUAGE_FALLBACKS").get(
        locale.language_code, [settings.LANGUAGE_CODE]
    )
    chain = [locale]
    for code in configured:
        candidate = visibility.locales.get(code)
        if candidate is not None and candidate not in chain:
            chain.append(candidate)
    return chain


def chain_rank(chain: list[Locale]) -> Case:
    """An expression ranking rows by their language's place in ``chain`` (0 is best)."""
    return Case(
        *[When(locale_id=loc.pk, then=Value(i)) for i, loc in enumerate(chain)],
        default=Value(len(chain)),
        output_field=IntegerField(),
    )


def pick_best(items: list, chain: list[Locale], key=lambda item: item.locale_id):
    """The item whose language comes first in ``chain``, or None."""
    rank = {locale.pk: index for index, locale in enumerate(chain)}
    ranked = [item for item in items if key(item) in rank]
    return min(ranked, key=lambda item: rank[key(item)]) if ranked else None


@strawberry.type
class LocaleQueries:
    locales: list[LocaleType] = strawberry_django.field(
        description="Every language the site publishes in, the default first."
    )
