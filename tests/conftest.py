"""Shared fixtures: the language trees every test site starts from, and the demo page."""

import pytest


@pytest.fixture
def site_structure(db):
    """The home page and services index in es, en and ca."""
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
