"""Fixtures of the cache tests (``renews`` and ``clock`` come from tests/conftest.py)."""

import pytest

# The GraphQL tests' builders: a service page with every kind of block, and the query runner.
from tests.graphql_api.conftest import (  # noqa: F401
    graphql,
    make_rich_service,
    project_world,
    rich_content,
)


@pytest.fixture
def embedded_database(transactional_db):
    """On SQLite, the path of the database file the test runs on, as the embedded default
    keeps it (cms/settings/test.py names a file, never the shared in-memory database, so
    concurrent readers and writers wait for each other as they do in production).
    Elsewhere (PostgreSQL) None."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    assert "mode=memory" not in name, f"the SQLite test database must be a file, not {name}"
    return name
