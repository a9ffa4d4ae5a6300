"""Operators register endpoints and read the delivery log in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model

from delivery.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    client.force_login(get_user_model().objects.create_superuser("ops", "ops@example.org", "pw"))
    return client


def test_register_an_endpoint(operator):
    response = operator.post(
        "/admin/webhook_endpoints/new/",
        {
            "name": "Frontend build",
            "url": "https://build.example.org/hook",
            "events": '["page.published"]',
            "active": "on",
            "secret": "abc123",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.name, endpoint.url, endpoint.events, endpoint.active, endpoint.secret) == (
        "Frontend build",
        "https://build.example.org/hook",
        ["page.published"],
        True,
        "abc123",
    )


def test_endpoint_url_must_be_http(operator):
    response = operator.post(
        "/admin/webhook_endpoints/new/",
        {"name": "Bad", "url": "javascript:alert(1)", "events": "[]", "secret": "x"},
    )
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    assert response.context["form"].errors["url"]


def test_delivery_log_lists_status_attempts_and_last_code(operator):
    endpoint = WebhookEndpoint.objects.create(name="Build", url="https://b.example.org/")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={"urls": []},
        status="retrying",
        attempts=2,
        last_status_code=503,
    )
    listing = operator.get("/admin/webhook_deliveries/")
    assert listing.status_code == 200
    html = listing.content.decode()
    for text in ("page.published", "Build", "Retrying", "503"):
        assert text in html
    inspect = operator.get(f"/admin/webhook_deliveries/inspect/{delivery.pk}/")
    assert inspect.status_code == 200
    # The log is read-only.
    refused = operator.get("/admin/webhook_deliveries/new/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert 'href="/admin/webhook_deliveries/new/"' not in html
