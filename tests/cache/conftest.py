"""Fixtures of the cache tests: whether a change renewed the content generation."""

import pytest

from graphql_api.invalidation import current_generation

# The GraphQL tests' builders: a service page with every kind of block, and the query runner.
from tests.graphql_api.conftest import graphql, make_rich_service, rich_content  # noqa: F401


@pytest.fixture
def renews(django_capture_on_commit_callbacks):
    """Run a change and its commit callbacks; return whether the generation was renewed."""

    def run(action) -> bool:
        before = current_generation()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return current_generation() != before

    return run
