"""Languages: the Locale type, the `locales` query and the language fallback chain."""

import strawberry
from django.conf import settings
from django.utils.translation import get_language_info
from wagtail.models import Locale

from .conf import api_setting
from .context import get_context
from .errors import ApiError
from .visibility import Visibility


@strawberry.type(name="Locale", description="A language the content is published in.")
class LocaleType:
    obj: strawberry.Private[Locale]

    @strawberry.field(description="The language code used in URLs and arguments, e.g. es.")
    def code(self) -> str:
        return self.obj.language_code

    @strawberry.field(
        description="The language's name in that language (español, English, català), "
        "ready for a language switcher."
    )
    def name(self) -> str:
        try:
            return get_language_info(self.obj.language_code)["name_local"]
        except KeyError:
            return self.obj.language_code

    @strawberry.field(description="True for the site's default language.")
    def is_default(self) -> bool:
        return self.obj.language_code == settings.LANGUAGE_CODE


def resolve_locale(visibility: Visibility, code: str | None) -> Locale:
    """The Locale for ``code``, the default language when no code is given."""
    code = code or settings.LANGUAGE_CODE
    locale = visibility.locales.get(code)
    if locale is None:
        known = ", ".join(visibility.locales)
        raise ApiError(f"Unknown locale '{code}'. Use one of: {known}.")
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


def pick_best(items: list, chain: list[Locale], key=lambda item: item.locale_id):
    """The item whose language comes first in ``chain``, or None."""
    rank = {locale.pk: index for index, locale in enumerate(chain)}
    ranked = [item for item in items if key(item) in rank]
    return min(ranked, key=lambda item: rank[key(item)]) if ranked else None


@strawberry.type
class LocaleQueries:
    @strawberry.field(description="Every language the site publishes in, the default first.")
    def locales(self, info: strawberry.Info) -> list[LocaleType]:
        visibility = get_context(info).visibility
        ordered = sorted(
            visibility.locales.values(),
            key=lambda locale: locale.language_code != settings.LANGUAGE_CODE,
        )
        return [LocaleType(obj=locale) for locale in ordered]
