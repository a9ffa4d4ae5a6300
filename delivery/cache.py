"""Moved to graphql_api.invalidation; kept only for imports not yet updated."""

from graphql_api.invalidation import (  # noqa: F401
    GENERATION_KEY,
    current_generation,
    renew_after_commit,
    renew_generation,
    request_generation,
)
