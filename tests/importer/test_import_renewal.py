"""An import renews the public caches once, when it ends: its writes (some of which send
no signal, such as the translation keys it links) renew nothing one by one."""

import sys
from pathlib import Path
from unittest import mock

import pytest

import importer as importer_package
from cms.demo import DEMO_CONTENT
from graphql_api import invalidation
from services.models import ServicePage
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


def test_a_run_announces_one_site_wide_change(run_import):
    """The webhooks hear of a run's snippets, site texts and menus once, as a change of
    the whole site, not object by object (pages send their own events)."""
    heard = []
    with mock.patch.object(invalidation, "_listeners", [lambda *args: heard.append(args)]):
        run = run_import(DEMO_CONTENT)
    assert run.failed is None
    assert heard == [(invalidation.Reach.SITE, None, None)]


SILENT_WRITES = ("update", "bulk_create", "bulk_update", "_raw_delete")


def test_no_import_write_goes_around_the_signals(run_import, write_site):
    """Every row the importer writes is saved (or deleted) through the model, so the
    signals the caches, the webhooks and the reference index listen to are sent; nothing is
    written through a queryset's signal-less bulk methods. The second run links an English
    service imported alone to its new Spanish source: the one write that used to be a
    ``QuerySet.update``."""
    from django.db.models.query import QuerySet

    importer = str(Path(importer_package.__file__).parent)
    callers: list[str] = []

    def watched(name):
        original = getattr(QuerySet, name)

        def wrapper(self, *args, **kwargs):
            frame = sys._getframe(1)
            if frame.f_code.co_filename.startswith(importer):
                callers.append(f"{name} from {frame.f_code.co_name}:{frame.f_lineno}")
            return original(self, *args, **kwargs)

        return wrapper

    site = write_site({"_services/en/a.md": service("a", title="One")})
    patches = [mock.patch.object(QuerySet, name, watched(name)) for name in SILENT_WRITES]
    for patch in patches:
        patch.start()
    try:
        first = run_import(site)
        (site / "_services/es").mkdir()
        (site / "_services/es/a.md").write_text(service("a", title="Uno"), encoding="utf-8")
        second = run_import(site)
    finally:
        for patch in patches:
            patch.stop()
    assert (first.failed, second.failed) == (None, None)
    es, en = (ServicePage.objects.get(locale__language_code=code) for code in ("es", "en"))
    assert en.translation_key == es.translation_key
    assert callers == []
