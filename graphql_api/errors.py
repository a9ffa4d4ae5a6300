"""Errors a reader can cause, each with a stable code in ``extensions.code``.

Frontends branch on the code, never on the message (messages are written for people and
may change). docs/GRAPHQL.md lists every code.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code the API answers with."""

    # Arguments
    UNKNOWN_LOCALE = "UNKNOWN_LOCALE"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    INVALID_ID = "INVALID_ID"
    INVALID_CURSOR = "INVALID_CURSOR"
    PAGE_SIZE_EXCEEDED = "PAGE_SIZE_EXCEEDED"
    EMPTY_SEARCH = "EMPTY_SEARCH"
    INVALID_PATH = "INVALID_PATH"
    # Input of any argument (graphql_api.inputs) and of the request (graphql_api.views)
    INVALID_TEXT = "INVALID_TEXT"
    TOO_LONG = "TOO_LONG"
    TOO_MANY_ITEMS = "TOO_MANY_ITEMS"
    INPUT_TOO_DEEP = "INPUT_TOO_DEEP"
    # Forms
    FORM_NOT_FOUND = "FORM_NOT_FOUND"
    # Previews
    PREVIEW_TOKEN_INVALID = "PREVIEW_TOKEN_INVALID"  # noqa: S105 - a code, not a secret
    PREVIEW_TOKEN_EXPIRED = "PREVIEW_TOKEN_EXPIRED"  # noqa: S105 - a code, not a secret
    # Documents and limits
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
    NUL_CHARACTER = "NUL_CHARACTER"
    # The HTTP layer (persisted queries and the allowlist)
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    QUERY_NOT_ALLOWED = "QUERY_NOT_ALLOWED"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    ORIGIN_NOT_ALLOWED = "ORIGIN_NOT_ALLOWED"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    INVALID_HEADER = "INVALID_HEADER"
    # Not the reader's doing: the message is masked.
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(Exception):
    """A bad argument or an impossible request; its message reaches the client unmasked."""

    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message)
        self.code = code
