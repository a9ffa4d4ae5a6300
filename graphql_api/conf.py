"""The API's settings, read at request time so that tests and deployments can change them."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "CIVIC_GRAPHQL_GRAPHIQL": False,
    "CIVIC_GRAPHQL_INTROSPECTION": True,
    "CIVIC_GRAPHQL_MASK_ERRORS": True,
    "CIVIC_GRAPHQL_MAX_DEPTH": 12,
    "CIVIC_GRAPHQL_MAX_ALIASES": 15,
    "CIVIC_GRAPHQL_MAX_TOKENS": 2000,
    "CIVIC_GRAPHQL_DEFAULT_PAGE_SIZE": 20,
    "CIVIC_GRAPHQL_MAX_PAGE_SIZE": 50,
    "CIVIC_GRAPHQL_MAX_SEARCH_RESULTS": 50,
    "CIVIC_GRAPHQL_MAX_TEXT_LENGTH": 10_000,
    "CIVIC_GRAPHQL_MAX_LIST_LENGTH": 100,
    "CIVIC_GRAPHQL_MAX_INPUT_DEPTH": 10,
    "CIVIC_GRAPHQL_MAX_SEARCH_LENGTH": 256,
    "CIVIC_GRAPHQL_MAX_SEARCH_WORDS": 32,
    "CIVIC_LANGUAGE_FALLBACKS": {},
}


def api_setting(name: str) -> Any:
    """The value of one of the settings above, or its default."""
    return getattr(settings, name, DEFAULTS[name])
