"""Limits, caches and error handling applied to every operation, configured by settings."""

import logging
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSyntaxError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry_django.optimizer import DjangoOptimizerExtension

from .conf import api_setting
from .errors import ApiError, ErrorCode
from .inputs import ArgumentChecks
from .suggestions import HideSuggestions

logger = logging.getLogger(__name__)

# Distinct query texts whose parsed and validated documents each process keeps.
DOCUMENT_CACHE_SIZE = 256


@lru_cache(maxsize=32)
def _limit_rules(max_depth: int, max_aliases: int, introspection: bool) -> tuple:
    """The limit rules for a set of settings: the same objects for the same settings, so
    strawberry's ValidationCache (keyed by the rules) serves a known document from memory."""
    rules = [depth_rule(max_depth, None, None), alias_rule(max_aliases)]
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class Limits(AddValidationRules):
    """Query depth (fragments included), aliases and, when switched off, introspection."""

    def __init__(self) -> None:
        super().__init__(
            list(
                _limit_rules(
                    api_setting("CIVIC_GRAPHQL_MAX_DEPTH"),
                    api_setting("CIVIC_GRAPHQL_MAX_ALIASES"),
                    bool(api_setting("CIVIC_GRAPHQL_INTROSPECTION")),
                )
            )
        )


def should_mask(error: GraphQLError) -> bool:
    """Hide unexpected failures; syntax, validation, limit and ApiError messages stay."""
    if not api_setting("CIVIC_GRAPHQL_MASK_ERRORS"):
        return False
    original = error.original_error
    return original is not None and not isinstance(original, (ApiError, GraphQLError))


class CheckArguments(SchemaExtension):
    """Check every argument of a field before the field runs (``graphql_api.inputs``).

    A refused argument is an error of its own field (``ApiError``: answered with its
    message and code, not logged as the server's failure); the field answers null and the
    others are answered. Each request that had any refused writes one line to the log.
    """

    def __init__(self) -> None:
        self.checks = ArgumentChecks()
        self.refused: dict[tuple[str, str], None] = {}

    def on_execute(self) -> Iterator[None]:
        yield
        if self.refused:
            logger.warning(
                "Refused arguments: %s",
                "; ".join(f"{field}: {code}" for field, code in self.refused),
            )

    def resolve(
        self, _next: Callable, root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any
    ) -> Any:
        # Introspection's own fields (__type, __schema) are graphql-core's, not the schema's.
        field = info.parent_type.fields.get(info.field_name) if kwargs else None
        if field is not None:
            parent = info.parent_type
            refused = self.checks.refusal(parent.name, info.field_name, field, kwargs)
            if refused is not None:
                self.refused[(f"{parent.name}.{info.field_name}", refused.code.value)] = None
                raise refused
        return _next(root, info, *args, **kwargs)


LIMIT_MESSAGES = (
    ("exceeds maximum operation depth", ErrorCode.QUERY_TOO_DEEP),
    ("aliases found. Allowed:", ErrorCode.TOO_MANY_ALIASES),
    ("introspection has been disabled", ErrorCode.INTROSPECTION_DISABLED),
)


def error_code(error: GraphQLError) -> ErrorCode:
    """The code of an error that carries none yet."""
    original = error.original_error
    if isinstance(original, ApiError):
        return original.code
    if isinstance(error, GraphQLSyntaxError) or error.message.startswith("Syntax Error"):
        if "tokens" in error.message:
            return ErrorCode.TOO_MANY_TOKENS
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if original is not None and not isinstance(original, GraphQLError):
        return ErrorCode.INTERNAL_SERVER_ERROR
    # The limit rules are strawberry's own; their messages are fixed by the rule.
    for marker, code in LIMIT_MESSAGES:
        if marker in error.message:
            return code
    if error.message.startswith("Variable '$"):
        return ErrorCode.INVALID_ARGUMENT
    if error.path is None:
        return ErrorCode.GRAPHQL_VALIDATION_FAILED
    return ErrorCode.INTERNAL_SERVER_ERROR


def with_codes(errors: list[GraphQLError]) -> None:
    """Give every error of an answer its ``extensions.code`` (listed in docs/GRAPHQL.md).

    Run on the final answer (graphql_api.views): some errors (a document too long to
    parse) are built by strawberry after every extension has finished.
    """
    for error in errors:
        if not (error.extensions or {}).get("code"):
            code = (
                ErrorCode.INTERNAL_SERVER_ERROR
                if error.message == "Unexpected error." and error.original_error is None
                else error_code(error)
            )
            error.extensions = {**(error.extensions or {}), "code": code.value}


class Optimizer(DjangoOptimizerExtension):
    """strawberry-django's query optimizer, without its hook around every field.

    The optimizer works where a field of a model type hands a queryset to the type's
    ``get_queryset`` (lists, connections): strawberry-django optimizes it there. Its
    ``resolve`` hook would also optimize a queryset a resolver returned unevaluated, but
    no resolver of this API returns one (lists come back evaluated, connections as
    connections), and the hook costs a middleware call on each of the thousands of
    fields of a listing.
    """

    resolve = SchemaExtension.resolve


def schema_extensions() -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """Factories, so each request reads the current settings."""
    return [
        lambda: MaxTokensLimiter(max_token_count=api_setting("CIVIC_GRAPHQL_MAX_TOKENS")),
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        Limits,
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        CheckArguments,
        HideSuggestions,
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Unexpected error."),
        Optimizer,
    ]
