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
def embedded_database(transactional_db, tmp_path):
    """On SQLite, the database as a file, as the embedded default keeps it.

    The test database is in memory, shared between threads through SQLite's shared cache,
    where a reader meeting a writer fails at once ("table is locked") instead of waiting
    as it does on a file (the project's 30 s timeout). For tests with concurrent readers,
    the migrated database is copied into a file and every connection (each thread opens
    its own) uses it until the test ends. Elsewhere (PostgreSQL) this does nothing.
    """
    import sqlite3

    from django.db import connection, connections

    settings_dict = connections.settings["default"]
    memory = settings_dict["NAME"]
    if connection.vendor != "sqlite" or "mode=memory" not in str(memory):
        yield None
        return
    keeper = sqlite3.connect(memory, uri=True)  # the in-memory database lives while it is open
    path = tmp_path / "embedded.sqlite3"
    copy = sqlite3.connect(path)
    keeper.backup(copy)
    copy.close()
    # Django ignores close() on an in-memory database: name the file first, then close.
    settings_dict["NAME"] = str(path)
    connection.close()
    try:
        yield path
    finally:
        connections.close_all()
        settings_dict["NAME"] = memory
        connection.ensure_connection()
        keeper.close()
