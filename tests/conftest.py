"""Shared fixtures: the language trees every test site starts from, and the demo page.

The test database is built once per run (``django_db_setup``): migrated, then given the
site structure (the home and collection index pages in es, en and ca), committed. Every
test runs in a transaction rolled back after it (pytest-django's ``db``), over that
structure; a transactional test (``transaction=True``) empties the database after it, and
with ``serialized_rollback=True`` gets the structure back first, as Django's serialized
rollback does.

The demo content (``demo_page``) is a layer over that base, as Django's ``TestCase`` builds
``setUpTestData``: loaded once inside an outer transaction that the tests using it run in
(each in its own savepoint, rolled back after it), and rolled back when the next test does
not use it. The tests are ordered so that those using it run one after the other: the
others that use the database, then those using the demo, then the transactional ones (which
load the demo themselves, as they must commit it), then the tests without a database.
"""

import pytest
from django.db import transaction


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


def _load_demo():
    """The demo site loaded in the current transaction; wagtail-localize publishes
    translations when the transaction commits, so the commit callbacks are run here."""
    from django.test import TestCase

    from cms.demo import load_demo

    with TestCase.captureOnCommitCallbacks(execute=True):
        return load_demo()


def _transactional(item) -> bool:
    """Whether the test commits (pytest-django's rule for a TransactionTestCase)."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
    )


def _rolled_back(item) -> bool:
    """Whether the test runs in a transaction rolled back after it."""
    uses_database = item.get_closest_marker("django_db") or "db" in item.fixturenames
    return bool(uses_database) and not _transactional(item)


def _uses_demo_layer(item) -> bool:
    return item is not None and "demo_page" in item.fixturenames and not _transactional(item)


class DemoLayer:
    """The demo content in an outer transaction the tests using it run in."""

    def __init__(self) -> None:
        self.atomic = None
        self.blocker = None

    def open(self, blocker) -> None:
        self.blocker = blocker
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            _load_demo()

    def close(self) -> None:
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_demo_layer = DemoLayer()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Open the demo layer before the first function-scoped fixture of a test that uses it
    is set up: before pytest-django opens the test's own transaction, which is then a
    savepoint inside the layer's."""
    if (
        fixturedef.scope == "function"
        and _demo_layer.atomic is None
        and _uses_demo_layer(getattr(request, "node", None))
    ):
        request.getfixturevalue("django_db_setup")
        _demo_layer.open(request.getfixturevalue("django_db_blocker"))
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Roll the demo layer back after the last test in a row that uses it."""
    result = yield
    if _demo_layer.atomic is not None and not _uses_demo_layer(nextitem):
        _demo_layer.close()
    return result


@pytest.fixture
def demo_page(request, site_structure):
    """The demo "Crowdfunding cívico" service page in Spanish, with its English translation.

    Loaded once for the tests that use it in a row (see the module's docstring); a
    transactional test loads it in its own run, committed.
    """
    from services.models import ServicePage

    if _transactional(request.node):
        return _load_demo()
    assert _demo_layer.atomic is not None, "the demo layer opens before the test's fixtures"
    index = site_structure.service_indexes["es"]
    return ServicePage.objects.child_of(index).get(slug="democratic-funding")


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


def _media_files() -> set[str]:
    import os

    from django.conf import settings

    return {
        os.path.join(folder, name)
        for folder, _dirs, names in os.walk(settings.MEDIA_ROOT)
        for name in names
    }


@pytest.fixture(autouse=True)
def _media_rolled_back(request):
    """The files a test's rows named go with its rolled-back rows: a file left behind
    would make the next test's file of the same name (an image, a rendition) take another."""
    if not _rolled_back(request.node):
        yield
        return
    import os

    before = _media_files()
    yield
    for path in _media_files() - before:
        os.remove(path)


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


def _order(item) -> int:
    """Where a test runs: pytest-django's order (database, transactional, no database),
    with the tests using the demo layer last among those using the database in a
    transaction rolled back."""
    if _transactional(item):
        return 2
    if _uses_demo_layer(item):
        return 1
    return 0 if _rolled_back(item) else 3


def pytest_collection_modifyitems(config, items):
    """The order above; long runs take minutes each: ``scripts/reliability`` runs them
    (and CI does)."""
    items.sort(key=_order)
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long run: scripts/reliability runs it (pytest --long)")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
