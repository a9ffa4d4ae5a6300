"""Shared fixtures: the language trees every test site starts from, and the demo page."""

import pytest


@pytest.fixture
def site_structure(db):
    """The home page and services index in es, en and ca."""
    from cms.site_structure import ensure_site_structure

    return ensure_site_structure()


@pytest.fixture
def demo_page(site_structure):
    """The demo "Crowdfunding cívico" service page in Spanish, with its English translation."""
    from cms.demo import load_demo

    return load_demo()


@pytest.fixture
def locales(site_structure):
    """The Locale objects by language code."""
    return {code: home.locale for code, home in site_structure.homes.items()}
