"""Limits and error handling applied to every operation, configured by settings."""

from collections.abc import Callable, Iterator

from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from .conf import api_setting
from .errors import ApiError


class IntrospectionSwitch(AddValidationRules):
    """Refuses introspection queries when CIVIC_GRAPHQL_INTROSPECTION is off."""

    def __init__(self) -> None:
        super().__init__([NoSchemaIntrospectionCustomRule])

    def on_operation(self) -> Iterator[None]:
        if api_setting("CIVIC_GRAPHQL_INTROSPECTION"):
            yield
        else:
            yield from super().on_operation()


def should_mask(error: GraphQLError) -> bool:
    """Hide unexpected failures; syntax, validation, limit and ApiError messages stay."""
    if not api_setting("CIVIC_GRAPHQL_MASK_ERRORS"):
        return False
    original = error.original_error
    return original is not None and not isinstance(original, (ApiError, GraphQLError))


def schema_extensions() -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """Factories, so each request reads the current settings."""
    return [
        lambda: MaxTokensLimiter(max_token_count=api_setting("CIVIC_GRAPHQL_MAX_TOKENS")),
        lambda: QueryDepthLimiter(max_depth=api_setting("CIVIC_GRAPHQL_MAX_DEPTH")),
        lambda: MaxAliasesLimiter(max_alias_count=api_setting("CIVIC_GRAPHQL_MAX_ALIASES")),
        IntrospectionSwitch,
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Unexpected error."),
    ]
