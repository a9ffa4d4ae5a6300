"""Shared fixtures: the language trees every test site starts from, and the demo page.

The test database is built once per run (``django_db_setup``): migrated, then given the
site structure (the home and collection index pages in es, en and ca), committed. Every
test runs in a transaction rolled back after it (pytest-django's ``db``), over that
structure; a transactional test (``transaction=True``) empties the database after it, and
with ``serialized_rollback=True`` gets the structure back first, as Django's serialized
rollback does.
"""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrated test database with the site structure committed, once per run; it is
    also what a transactional test with ``serialized_rollback`` starts from."""
    from django.db import connection

    from cms.site_structure import ensure_site_structure

    with django_db_blocker.unblock():
        ensure_site_structure()
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def site_structure(db):
    """The home page and the collection indexes in es, en and ca (built once per run: see
    ``django_db_setup``; found again here, or built when a transactional test emptied
    the database)."""
    from cms.site_structure import ensure_site_structure

    return ensure_site_structure()


@pytest.fixture
def demo_page(site_structure, django_capture_on_commit_callbacks):
    """The demo "Crowdfunding cívico" service page in Spanish, with its English translation.

    wagtail-localize publishes translations when the transaction commits; tests run
    inside one, so the commit callbacks are run here.
    """
    from cms.demo import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        return load_demo()


@pytest.fixture(scope="module")
def module_database(django_db_setup, django_db_blocker):
    """Rows committed once for the tests of one module, then taken away.

    For content that is slow to build and that a module's tests only read (the imported
    sample): the module fixture that builds it does so inside ``.unblock()`` of what this
    yields, and its rows are committed; each test still runs in its own transaction, rolled
    back, over them. After the module's last test the database is put back as it was, the
    way Django's serialized rollback does it: flushed, then given back the rows serialized
    before.
    """
    from django.core.management import call_command
    from django.db import connection

    with django_db_blocker.unblock():
        rows = connection.creation.serialize_db_to_string()
    yield django_db_blocker
    with django_db_blocker.unblock():
        # Sequences are not reset: the rows put back keep their ids, and a sequence set
        # back to 1 would hand those ids out again (PostgreSQL).
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        connection.creation.deserialize_db_from_string(rows)


@pytest.fixture
def locales(site_structure):
    """The Locale objects by language code."""
    return {code: home.locale for code, home in site_structure.homes.items()}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths; each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class Clock:
    """``timezone.now`` for the test: still until moved."""

    def __init__(self) -> None:
        from django.utils import timezone

        self.at = timezone.now().replace(microsecond=0)

    def now(self):
        return self.at

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.at += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    """Django's ``timezone.now`` replaced by a clock the test moves."""
    from django.utils import timezone

    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def renews(django_capture_on_commit_callbacks):
    """Run a change and its commit callbacks; return whether the generation was renewed."""
    from graphql_api.invalidation import current_generation

    def run(action) -> bool:
        before = current_generation()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return current_generation() != before

    return run


@pytest.fixture
def renewed(django_capture_on_commit_callbacks):
    """Run a change and its commit callbacks; return which tokens it renewed:
    ``(generation, structure)`` (graphql_api.invalidation)."""
    from graphql_api.invalidation import current_tokens

    def run(action) -> tuple[bool, bool]:
        before = current_tokens()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        after = current_tokens()
        return after[0] != before[0], after[1] != before[1]

    return run


def pytest_addoption(parser):
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="run the long reliability runs (load, fuzzing, faults) marked 'long'",
    )


def pytest_collection_modifyitems(config, items):
    """Long runs take minutes each: ``scripts/reliability`` runs them (and CI does)."""
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long run: scripts/reliability runs it (pytest --long)")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
