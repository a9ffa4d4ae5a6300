"""Go-live and expiry are applied by the task worker at their time (delivery.schedule).

The database queue and its worker, as in production; real time, a few seconds ahead.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from delivery import signal_handlers
from services.models import ServicePage
from tests.factories import make_service
from tests.workers import run_worker as worker

# The worker closes its database connection, as in production: committed transactions.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AHEAD = timedelta(seconds=2)


def run_worker() -> None:
    worker(backend="webhooks", queue="webhooks")


@pytest.fixture
def events(monkeypatch):
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        signal_handlers, "notify", lambda event, obj, urls: sent.append((event, obj["slug"]))
    )
    return sent


def _queued_runs() -> list:
    return sorted(
        result.run_after
        for result in DBTaskResult.objects.filter(task_path="delivery.schedule.apply_schedules")
    )


def _wait_until(moment) -> None:
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.2)


def test_a_scheduled_page_goes_live_at_its_time_and_is_announced_then(site_structure, events):
    index = site_structure.service_indexes["es"]
    page = make_service(index, title="Pronto", slug="pronto", publish=False)
    go_live = (timezone.now() + AHEAD).replace(microsecond=0) + timedelta(seconds=1)
    page.go_live_at = go_live
    page.save_revision().publish()
    assert _queued_runs() == [go_live]

    run_worker()  # before its time: nothing
    assert (ServicePage.objects.get(pk=page.pk).live, events) == (False, [])

    _wait_until(go_live)
    run_worker()
    assert ServicePage.objects.get(pk=page.pk).live
    assert events == [("page.published", "pronto")]


def test_a_page_expires_at_its_time_and_is_announced_then(site_structure, events):
    index = site_structure.service_indexes["es"]
    page = make_service(index, title="Caduca", slug="caduca")
    expire = (timezone.now() + AHEAD).replace(microsecond=0) + timedelta(seconds=1)
    page.expire_at = expire
    page.save_revision().publish()
    page.save_revision().publish()  # saved twice: one run for the date
    assert _queued_runs() == [expire]
    events.clear()

    _wait_until(expire)
    run_worker()
    page = ServicePage.objects.get(pk=page.pk)
    assert (page.live, page.expired) == (False, True)
    assert events == [("page.unpublished", "caduca")]


def test_a_live_page_s_next_revision_goes_live_at_its_time(site_structure, events):
    index = site_structure.service_indexes["es"]
    page = make_service(index, title="Primera", slug="cambia")
    go_live = (timezone.now() + AHEAD).replace(microsecond=0) + timedelta(seconds=1)
    page.title = "Segunda"
    page.go_live_at = go_live
    page.save_revision().publish()
    assert ServicePage.objects.get(pk=page.pk).title == "Primera"
    assert _queued_runs() == [go_live]
    events.clear()

    _wait_until(go_live)
    run_worker()
    assert ServicePage.objects.get(pk=page.pk).title == "Segunda"
    assert events == [("page.published", "cambia")]
