"""Shared fixtures: the language trees every test site starts from, the demo page and the
imported sample.

The test database is built once per run (``django_db_setup``): migrated, then given the
site structure (the home and collection index pages in es, en and ca), committed. Every
test runs in a transaction rolled back after it (pytest-django's ``db``), over that
structure; a transactional test (``transaction=True``) empties the database after it, and
with ``serialized_rollback=True`` gets the structure back first, as Django's serialized
rollback does.

Slower content is a *layer* over that base, built the way Django's ``TestCase`` builds
``setUpTestData``: once, inside an outer transaction that the tests using it run in (each
in its own savepoint, rolled back after it), and rolled back after the last of them. Two
layers: the demo content (``demo_page``) and the real sample of the source site imported
(``imported_sample``). The tests are ordered so that those of a layer run one after the
other: the others that use the database first, then each layer's, then the transactional
ones (which load what they need themselves: they commit it), then those without a database.
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import transaction

from tests.sample_site import NO_SAMPLE, SAMPLE


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


def _with_commit_callbacks(build):
    """Run ``build`` in the current transaction with the callbacks it leaves for the commit
    run at its end (wagtail-localize publishes translations when a transaction commits)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return build()


def _load_demo():
    from cms.demo import load_demo

    return _with_commit_callbacks(load_demo)


def _import_sample():
    """The sample imported as ``import_jekyll`` does it; None where it is absent."""
    if not SAMPLE.is_dir():
        return None
    from tests.importer.conftest import import_site

    report = Path(tempfile.mkdtemp(prefix="civic-sample-import-")) / "report.json"
    return _with_commit_callbacks(lambda: import_site(SAMPLE, report))


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


@dataclass
class Layer:
    """Content built once in an outer transaction that the tests using it run in."""

    fixture: str
    build: object
    atomic: object = None
    blocker: object = None
    value: object = field(default=None, repr=False)

    def used_by(self, item) -> bool:
        return item is not None and self.fixture in item.fixturenames and _rolled_back(item)

    def open(self, blocker) -> None:
        self.blocker = blocker
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.value = self.build()

    def close(self) -> None:
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = self.value = None


LAYERS = (Layer("demo_page", _load_demo), Layer("imported_sample", _import_sample))


def _layer_of(item) -> Layer | None:
    used = [layer for layer in LAYERS if layer.used_by(item)]
    assert len(used) <= 1, f"{item.nodeid} uses two layers: {used}"
    return used[0] if used else None


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Open a test's layer before its first function-scoped fixture is set up: before
    pytest-django opens the test's own transaction, which is then a savepoint inside the
    layer's."""
    layer = _layer_of(request.node) if fixturedef.scope == "function" else None
    if layer is not None and layer.atomic is None:
        request.getfixturevalue("django_db_setup")
        layer.open(request.getfixturevalue("django_db_blocker"))
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Roll a layer back after the last test in a row that uses it."""
    result = yield
    for layer in LAYERS:
        if layer.atomic is not None and not layer.used_by(nextitem):
            layer.close()
    return result


def _layer_value(name: str):
    layer = next(layer for layer in LAYERS if layer.fixture == name)
    assert layer.atomic is not None, f"the {name} layer opens before the test's fixtures"
    return layer.value


@pytest.fixture
def demo_page(request, site_structure):
    """The demo "Crowdfunding cívico" service page in Spanish, with its English translation.

    Loaded once for the tests that use it in a row (see the module's docstring); a
    transactional test loads it in its own run, committed.
    """
    from services.models import ServicePage

    if _transactional(request.node):
        return _load_demo()
    return ServicePage.objects.get(pk=_layer_value("demo_page").pk)


@pytest.fixture
def imported_sample(db):
    """The real sample of the source site imported (a ``tests.importer.conftest.Run``), once
    for the tests that use it in a row, which only read it; skipped where it is absent."""
    if not SAMPLE.is_dir():
        pytest.skip(NO_SAMPLE)
    run = _layer_value("imported_sample")
    assert run.failed is None, run.stderr
    return run


@pytest.fixture
def locales(site_structure):
    """The Locale objects by language code."""
    return {code: home.locale for code, home in site_structure.homes.items()}


def _media_files() -> set[str]:
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
def cms_templates(settings):
    """No public site configured: the CMS serves and previews its own templates."""
    settings.CIVIC_FRONTEND_URL = ""


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
def renewed(django_capture_on_commit_callbacks, monkeypatch):
    """Run a change and its commit callbacks; return ``(generation renewed, site root paths
    dropped at commit)`` (graphql_api.invalidation)."""
    from graphql_api import invalidation

    def run(action) -> tuple[bool, bool]:
        dropped = []
        real = invalidation._at_commit

        def at_commit(roots: bool) -> None:
            dropped.append(roots)
            real(roots)

        monkeypatch.setattr(invalidation, "_at_commit", at_commit)
        before = invalidation.current_generation()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        monkeypatch.setattr(invalidation, "_at_commit", real)
        return invalidation.current_generation() != before, any(dropped)

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
    with the tests of each layer together after the others using the database in a
    transaction rolled back."""
    if _transactional(item):
        return len(LAYERS) + 1
    layer = _layer_of(item)
    if layer is not None:
        return 1 + LAYERS.index(layer)
    return 0 if _rolled_back(item) else len(LAYERS) + 2


# Before pytest-xdist's hook of the same name, which reads the groups on each worker.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The order above; long runs take minutes each: ``scripts/reliability`` runs them
    (and CI does)."""
    items.sort(key=_order)
    # Run in parallel (pytest-xdist), the browser tests share one worker: they share the
    # servers they start once per worker, and the order of what they publish.
    if config.pluginmanager.hasplugin("xdist"):
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(pytest.mark.xdist_group("e2e"))
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long run: scripts/reliability runs it (pytest --long)")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
