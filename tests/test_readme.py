"""The example queries in the README run against the demo content without errors."""

import json
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_queries() -> list[str]:
    block = re.search(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    return [q.strip() for q in re.split(r"\n(?=# )", block) if q.strip()]


@pytest.mark.django_db
def test_readme_queries(client, demo_page):
    queries = readme_queries()
    assert len(queries) == 8
    results = []
    # The last example holds a query and a mutation: they are sent one at a time.
    *queries, form_example = queries
    form_query, mutation = re.split(r"\n(?=mutation )", form_example.split("\n", 1)[1])
    for query in [*queries, form_query, mutation]:
        response = client.post(
            "/graphql/", json.dumps({"query": query}), content_type="application/json"
        )
        body = response.json()
        assert "errors" not in body, (query, body)
        results.append(body["data"])
    service = results[0]["service"]
    assert (service["title"], service["translations"]) == (
        "Civic crowdfunding",
        [
            {
                "locale": {"code": "es"},
                "title": "Crowdfunding cívico",
                "url": "/es/services/democratic-funding/",
            },
            {
                "locale": {"code": "ca"},
                "title": "Crowdfunding cívic",
                "url": "/ca/services/democratic-funding/",
            },
        ],
    )
    assert [b["__typename"] for b in service["body"]][:2] == ["MarkdownBlock", "MetricsBlock"]
    assert results[1]["services"]["totalCount"] == 1
    page = results[2]["page"]
    assert (page["title"], page["locale"]) == ("Crowdfunding cívic", {"code": "ca"})
    # The Catalan demo page is a translation of the Spanish one, every text translated.
    status = page["translation"]
    assert status.pop("translatedAt")
    assert status == {
        "state": "UP_TO_DATE",
        "upToDate": True,
        "outdatedSince": None,
        "untranslatedSegments": 0,
        "sourceLocale": {"code": "es"},
        "versionLocale": {"code": "ca"},
    }
    project = results[3]["project"]
    assert (project["locale"], project["state"]["slug"]) == ({"code": "ca"}, "open")
    assert [s["url"] for s in project["services"]] == ["/ca/services/democratic-funding/"]
    assert [m["role"] for m in project["members"]] == [
        "Coordinadora de campanyes",
        "Desenvolupament de programari",
    ]
    assert results[4]["projects"]["totalCount"] == 1
    assert results[4]["service"]["projects"] == [
        {"title": "Fondo de barrio", "url": "/es/projects/neighbourhood-fund/"}
    ]
    assert results[5]["site"]["name"]
    seo = results[6]["page"]["seo"]
    assert (seo["title"], seo["robots"]) == ("Crowdfunding cívico", "index, follow")
    assert seo["canonicalUrl"].endswith("/es/services/democratic-funding/")
    assert [a["hreflang"] for a in seo["alternates"]] == ["es", "en", "ca", "x-default"]
    assert [n["type"] for n in (e["node"] for e in results[6]["paths"]["edges"])].count(
        "ServicePage"
    ) == 1
    assert results[6]["redirect"] == {"to": "/es/services/democratic-funding/", "permanent": True}
    assert [f["name"] for f in results[7]["form"]["fields"]] == [
        "name",
        "email",
        "message",
        "attachment",
        "privacy_policy",
    ]
    assert results[8]["submitForm"] == {"ok": True, "errors": []}
