"""The visitor's address behind proxies (CIVIC_TRUSTED_PROXIES): read from the right of
X-Forwarded-For, where no visitor can write, so that rotating the header gets no more
submissions through any form or any way in (the API and the plain HTML form)."""

import json

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.contrib.forms.models import FormSubmission

from contact.models import client_address
from tests.factories import make_contact_form

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
VISITOR = "203.0.113.7"
LIMITED = "Has enviado demasiados mensajes; inténtalo más tarde."
SUBMIT = """
mutation ($handle: String!, $values: [FieldValueInput!]!) {
  submitForm(handle: $handle, locale: "es", values: $values) { ok errors { code message } }
}
"""
VALUES = {
    "name": "Ana",
    "email": "ana@example.org",
    "message": "Hola",
    "privacy_policy": "true",
}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        # No proxy trusted: the header is the visitor's own words.
        (0, f"{VISITOR}", PROXY),
        # One proxy (nginx: proxy_add_x_forwarded_for) adds the address it was reached from.
        (1, VISITOR, VISITOR),
        (1, f"198.51.100.1, {VISITOR}", VISITOR),
        (1, f"198.51.100.1,{VISITOR} , ", VISITOR),
        # A CDN, then nginx: the CDN's edge is the last entry, the visitor the one before.
        (2, f"198.51.100.1, {VISITOR}, 192.0.2.50", VISITOR),
        # A request that reached the inner proxy alone: the entry it wrote.
        (2, VISITOR, VISITOR),
        # No header at all: the connection's own address.
        (1, None, PROXY),
    ],
)
def test_the_address_is_read_from_the_right(settings, proxies, forwarded, address):
    settings.CIVIC_TRUSTED_PROXIES = proxies
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().post("/graphql/", REMOTE_ADDR=PROXY, **headers)
    assert client_address(request) == address


@pytest.fixture
def two_forms(contact_form, site_structure):
    """Two forms of the site (the contact form allows 3 submissions an hour per address)."""
    cache.clear()
    other = make_contact_form(site_structure.homes["es"], slug="cta-contact-project")
    yield [contact_form, other]
    cache.clear()


def _through_the_api(client, page, **headers) -> tuple[bool, list[str]]:
    values = [{"name": k, "value": v} for k, v in VALUES.items()]
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": SUBMIT, "variables": {"handle": page.slug, "values": values}}),
        content_type="application/json",
        **headers,
    )
    result = response.json()["data"]["submitForm"]
    return result["ok"], [error["message"] for error in result["errors"]]


def _through_the_html_form(client, page, **headers) -> tuple[bool, list[str]]:
    response = client.post(page.url, VALUES, **headers)
    if response.status_code == 200:
        return True, []
    assert response.status_code == 400
    return False, [LIMITED] if LIMITED in response.content.decode() else ["?"]


def _rotate(client, forms, chain, count: int) -> list[tuple[bool, list[str]]]:
    """``count`` submissions, each to the next form by the next way in, each with another
    X-Forwarded-For made by ``chain(i)``, all from the same proxy."""
    ways = [_through_the_api, _through_the_html_form]
    return [
        ways[i % 2](
            client,
            forms[(i // 2) % 2],
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=chain(i),
        )
        for i in range(count)
    ]


ALLOWED = [(True, [])] * 3
REFUSED = [(False, [LIMITED])] * 3


def test_behind_one_proxy_a_rotated_header_gets_no_more_submissions(client, settings, two_forms):
    settings.CIVIC_TRUSTED_PROXIES = 1
    assert _rotate(client, two_forms, lambda i: f"198.51.100.{i}, {VISITOR}", 6) == [
        *ALLOWED,
        *REFUSED,
    ]
    assert FormSubmission.objects.count() == 3
    # Another visitor behind the same proxy has their own allowance.
    assert _rotate(client, two_forms, lambda i: f"198.51.100.{i}, 203.0.113.8", 4) == [
        *ALLOWED,
        (False, [LIMITED]),
    ]
    assert FormSubmission.objects.count() == 6


def test_behind_a_cdn_and_a_proxy_neither_the_header_nor_the_edge_counts(
    client, settings, two_forms
):
    settings.CIVIC_TRUSTED_PROXIES = 2
    # The visitor writes what they like on the left; the CDN's edge changes between requests.
    chain = lambda i: f"198.51.100.{i}, {VISITOR}, 192.0.2.{50 + i}"  # noqa: E731
    assert _rotate(client, two_forms, chain, 6) == [*ALLOWED, *REFUSED]
    assert _rotate(client, two_forms, lambda i: f"203.0.113.8, 192.0.2.{i}", 3) == ALLOWED
    assert FormSubmission.objects.count() == 6


def test_with_no_proxy_trusted_the_header_is_ignored(client, settings, two_forms):
    settings.CIVIC_TRUSTED_PROXIES = 0
    assert _rotate(client, two_forms, lambda i: f"198.51.100.{i}", 6) == [*ALLOWED, *REFUSED]
    assert FormSubmission.objects.count() == 3
