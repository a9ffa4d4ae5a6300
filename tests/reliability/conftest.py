"""The importer tests' fixtures, shared with the property-based import tests."""

from tests.importer.conftest import run_import, write_site

__all__ = ["run_import", "write_site"]
