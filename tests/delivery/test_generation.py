"""Every content change renews the content generation once it commits; reads do not."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import Collaborator
from graphql_api.invalidation import current_generation
from tests.factories import make_image

pytestmark = pytest.mark.django_db


def test_generation_is_stable_between_changes(demo_page):
    assert current_generation() == current_generation()


def test_each_kind_of_change_renews_it(demo_page, site_structure, renews):
    english = demo_page.get_translations().get(locale__language_code="en").specific
    other = site_structure.service_indexes["es"]
    decidim = Collaborator.objects.get(slug="decidim", locale__language_code="es")
    outcomes = {
        "publish": renews(lambda: demo_page.save_revision().publish()),
        "unpublish": renews(english.unpublish),
        "move": renews(lambda: demo_page.move(other, pos="first-child")),
        "restrict": renews(
            lambda: PageViewRestriction.objects.create(page=demo_page, restriction_type="login")
        ),
        "collaborator changed": renews(decidim.save),
        "collaborator created": renews(
            lambda: Collaborator.objects.create(name="Nuevo", slug="nuevo", locale=decidim.locale)
        ),
        "collaborator deleted": renews(decidim.delete),
        "image": renews(lambda: make_image("nueva")),
        "delete": renews(english.delete),
    }
    assert outcomes == dict.fromkeys(outcomes, True)


def test_reading_and_renditions_do_not_renew_it(demo_page, renews):
    image = demo_page.image
    assert renews(lambda: image.get_rendition("width-400")) is False
    assert renews(lambda: list(demo_page.body)) is False


def test_renewed_at_once_and_again_at_commit(demo_page, django_capture_on_commit_callbacks):
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demo_page.save_revision().publish()
    during = current_generation()
    assert during != before
    for callback in callbacks:
        callback()
    assert current_generation() not in (before, during)


RENEW = "from graphql_api.invalidation import renew_generation; print(renew_generation())"
READ = "from graphql_api.invalidation import current_generation; print(current_generation())"


def test_every_process_of_the_machine_shares_it_on_the_embedded_defaults(tmp_path):
    """Without REDIS_URL the cache is files on disk: a change made by one process (a
    worker, the task worker, a management command) reaches every other at once."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", CIVIC_CACHE_DIR=str(tmp_path))

    def shell(code: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=root, env=env, capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        return done.stdout.strip()

    first = shell(READ)
    assert shell(READ) == first
    renewed = shell(RENEW)
    assert renewed != first
    assert shell(READ) == renewed
