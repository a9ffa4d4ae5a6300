"""A page scheduled for later sends ``page.published`` when it goes live, not before."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from delivery import signal_handlers
from delivery.models import Event
from services.models import ServicePage
from tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(monkeypatch):
    sent: list[tuple[str, dict, list[str]]] = []
    monkeypatch.setattr(
        signal_handlers, "notify", lambda event, obj, urls: sent.append((event, obj, urls))
    )
    return sent


def test_a_scheduled_page_is_announced_when_it_goes_live(events, site_structure, clock):
    index = site_structure.service_indexes["es"]
    page = make_service(index, title="Pronto", slug="pronto", publish=False)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert (page.live, events) == (False, [])

    clock.advance(2 * 3600)
    call_command("publish_scheduled")
    page = ServicePage.objects.get(pk=page.pk)
    assert page.live
    assert [(event, obj["slug"]) for event, obj, _urls in events] == [
        (Event.PAGE_PUBLISHED, "pronto")
    ]
