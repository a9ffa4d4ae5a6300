"""Limits and error handling applied to every operation, configured by settings."""

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, StringValueNode, visit
from graphql.language import Visitor
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


NUL_REFUSED = "Text arguments cannot contain the NUL character (U+0000)."


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class _NulFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if "\x00" in node.value:
            self.found = True


class RefuseNulCharacters(SchemaExtension):
    """Refuse a NUL character in any text argument, literal or variable, before execution.

    No content holds one (the models refuse it), and PostgreSQL cannot even compare with
    one: such an argument would fail deep in a query as an unexpected error. The reader
    gets this message instead, whatever the database.
    """

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        found = _has_nul(context.variables or {})
        if not found and context.graphql_document is not None:
            finder = _NulFinder()
            visit(context.graphql_document, finder)
            found = finder.found
        if found:
            context.result = ExecutionResult(data=None, errors=[GraphQLError(NUL_REFUSED)])
        yield


PREPARED_MAXSIZE = 256
_prepared: OrderedDict[tuple, Any] = OrderedDict()


class PreparedDocuments(SchemaExtension):
    """Parse and validate each distinct query text once per process, not once per request.

    Frontends send the same few documents over and over; parsing and validating one of
    the full service queries costs more than resolving it. A document that parsed and
    validated without errors is kept (least recently used first out, at most
    PREPARED_MAXSIZE) under its text and the limit settings it was checked against;
    a later request with the same text skips both steps. Documents with errors are
    never kept, so every refusal is checked afresh.
    """

    def _key(self) -> tuple:
        return (
            self.execution_context.query,
            api_setting("CIVIC_GRAPHQL_MAX_TOKENS"),
            api_setting("CIVIC_GRAPHQL_MAX_DEPTH"),
            api_setting("CIVIC_GRAPHQL_MAX_ALIASES"),
            bool(api_setting("CIVIC_GRAPHQL_INTROSPECTION")),
        )

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        document = _prepared.get(self._key()) if context.query else None
        if document is not None:
            _prepared.move_to_end(self._key())
            context.graphql_document = document
            self._hit = True
        else:
            self._hit = False
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if getattr(self, "_hit", False):
            # Validated before with the same rules: let execution go ahead.
            context.pre_execution_errors = []
            yield
            return
        yield
        if context.query and context.graphql_document and not context.pre_execution_errors:
            _prepared[self._key()] = context.graphql_document
            while len(_prepared) > PREPARED_MAXSIZE:
                _prepared.popitem(last=False)


def schema_extensions() -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """Factories, so each request reads the current settings."""
    return [
        lambda: MaxTokensLimiter(max_token_count=api_setting("CIVIC_GRAPHQL_MAX_TOKENS")),
        lambda: QueryDepthLimiter(max_depth=api_setting("CIVIC_GRAPHQL_MAX_DEPTH")),
        lambda: MaxAliasesLimiter(max_alias_count=api_setting("CIVIC_GRAPHQL_MAX_ALIASES")),
        IntrospectionSwitch,
        RefuseNulCharacters,
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Unexpected error."),
        # Last, so the limits above have set the parse options and rules it is keyed on.
        PreparedDocuments,
    ]
