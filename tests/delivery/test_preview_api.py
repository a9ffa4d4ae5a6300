"""The frontend reads a draft through page(previewToken:), with the same types as live pages."""

import json

import pytest
from django.core import signing

from delivery.preview import issue_token

pytestmark = pytest.mark.django_db

QUERY = """query Preview($token: String) {
  page(previewToken: $token) {
    __typename id title slug url locale { code }
    ... on ServicePage {
      description { markdown }
      body { blockType ... on MetricsBlock { metrics { number text } } }
    }
  }
}"""


def ask(client, variables, query=QUERY):
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response


@pytest.fixture
def draft(demo_page):
    """A draft revision of the demo page: new title and metrics, the live page unchanged."""
    demo_page.title = "Crowdfunding cívico (borrador)"
    demo_page.body[1].value["items"][0]["text"] = "Dinero recaudado en 2026"
    demo_page.save_revision()
    return demo_page


def test_a_valid_token_shows_the_draft_and_the_public_query_does_not(client, draft):
    token = issue_token(draft.get_latest_revision_as_object())
    response = ask(client, {"token": token})
    assert response["Cache-Control"] == "private, no-store"
    page = response.json()["data"]["page"]
    assert page["__typename"] == "ServicePage"
    assert (page["id"], page["title"], page["url"], page["locale"]) == (
        str(draft.pk),
        "Crowdfunding cívico (borrador)",
        "/es/services/democratic-funding/",
        {"code": "es"},
    )
    assert page["body"][1]["metrics"][0] == {
        "number": "20.948.115",
        "text": "Dinero recaudado en 2026",
    }

    live = ask(
        client,
        {},
        query=QUERY.replace("($token: String)", "").replace(
            "previewToken: $token", 'path: "/es/services/democratic-funding/"'
        ),
    )
    live_page = live.json()["data"]["page"]
    assert live_page["title"] == "Crowdfunding cívico"
    assert live_page["body"][1]["metrics"][0]["text"] == "Dinero recaudado"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("forged", "This is not a valid preview link."),
        (
            signing.dumps({"s": 1, "p": 1, "r": None}, salt="other"),
            "This is not a valid preview link.",
        ),
    ],
    # Stable ids: a signed token changes with the clock (parallel workers collect alike).
    ids=["forged", "signed-for-another-purpose"],
)
def test_invalid_tokens_return_no_page_and_a_clear_error(client, draft, token, message):
    body = ask(client, {"token": token}).json()
    assert body["data"] == {"page": None}
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        (message, "PREVIEW_TOKEN_INVALID")
    ]


def test_expired_token(client, draft, settings):
    token = issue_token(draft)
    from delivery.models import PreviewSnapshot

    PreviewSnapshot.objects.update(expires_at="2000-01-01T00:00:00Z")
    body = ask(client, {"token": token}).json()
    assert body["data"] == {"page": None}
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("This preview link has expired; press Preview again.", "PREVIEW_TOKEN_EXPIRED")
    ]


def test_token_cannot_be_combined_with_a_path(client, draft):
    token = issue_token(draft)
    query = QUERY.replace("previewToken: $token", 'previewToken: $token, path: "/es/"')
    body = ask(client, {"token": token}, query=query).json()
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("Give previewToken alone, without path or id.", "INVALID_ARGUMENT")
    ]
