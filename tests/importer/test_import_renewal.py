"""An import renews the public caches once, when it ends: its writes (some of which send
no signal, such as the translation keys it links) renew nothing one by one."""

from unittest import mock

import pytest

from graphql_api import invalidation
from tests.importer.test_import_hostile import service

pytestmark = pytest.mark.django_db


def test_a_run_renews_once_at_its_end(run_import, write_site, django_capture_on_commit_callbacks):
    site = write_site(
        {
            "_services/es/a.md": service("a", title="Uno"),
            "_services/es/b.md": service("b", title="Dos"),
            "_services/en/a.md": service("a", title="One"),
        }
    )
    before = invalidation.current_generation()
    with (
        mock.patch.object(
            invalidation, "renew_generation", wraps=invalidation.renew_generation
        ) as renew,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = run_import(site)
    assert run.failed is None
    # Once as the run ends, once more when that is committed (renew_after_commit).
    assert renew.call_args_list == [mock.call(), mock.call()]
    assert invalidation.current_generation() != before


def test_a_failed_run_renews_too(run_import, write_site, django_capture_on_commit_callbacks):
    """What files committed before a failure is public: the caches are renewed anyway."""
    site = write_site({"_services/es/a.md": service("a"), "_services/es/b.md": "---\nslug: [\n"})
    before = invalidation.current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(site)
    assert run.failed == "1 file(s) had errors and were not imported; every other file was."
    assert invalidation.current_generation() != before
