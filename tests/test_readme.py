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
    assert len(queries) == 3
    results = []
    for query in queries:
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
            }
        ],
    )
    assert [b["__typename"] for b in service["body"]][:2] == ["MarkdownBlock", "MetricsBlock"]
    assert results[1]["services"]["totalCount"] == 1
    page = results[2]["page"]
    assert (page["title"], page["locale"]) == ("Crowdfunding cívico", {"code": "es"})
