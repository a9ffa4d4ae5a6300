"""Schemathesis against the running GraphQL endpoint: generated queries never break it.

A long run (``scripts/reliability -k fuzz``). The CMS runs under gunicorn with the
production settings on the demo content (PostgreSQL and Redis from scripts/reliability).
Schemathesis reads the committed schema (graphql_api/schema.graphql) and generates queries
for every root field, with random arguments and random selections of fields, fragments
and nesting. Each generated query is sent by POST and, every other one, by GET as well.

Every answer must be: not a 5xx; JSON with ``data`` and/or ``errors``; errors with a
message; no traceback, no file path, no database or library internals; and no
"Unexpected error." (an exception a resolver did not expect, masked for the reader but a
bug all the same). The figures go to artifacts/reliability/fuzz.json.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.reliability.long.servers import ROOT, Gunicorn

pytestmark = pytest.mark.long

SCHEMA = ROOT / "graphql_api" / "schema.graphql"
# Generated queries per root field, each sent by POST (and every other one by GET too).
EXAMPLES_PER_FIELD = 300
MINIMUM_QUERIES = 1000
# What never belongs in an answer: server internals.
LEAKS = (
    "Traceback",
    'File "',
    "site-packages",
    "django.db",
    "psycopg",
    "OperationalError",
    "ProgrammingError",
    "/work/",
    "Unexpected error.",
)


def _problem(response: requests.Response) -> str:
    """What is wrong with one answer, or an empty string."""
    if response.status_code >= 500:
        return f"status {response.status_code}"
    if response.status_code == 414:
        # The HTTP server refuses a URL over its request-line limit before the app sees it
        # (deeply nested filters make long queries): a clear refusal; clients POST those.
        return ""
    text = response.text
    for leak in LEAKS:
        if leak in text:
            return f"contains {leak!r}"
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {text[:80]!r}"
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        return f"not a GraphQL answer: {text[:80]!r}"
    for error in body.get("errors") or []:
        if not isinstance(error, dict) or not isinstance(error.get("message"), str):
            return f"malformed error: {error!r}"
    return ""


def test_generated_queries_never_break_the_endpoint(demo_site, artifacts, tmp_path):
    schema = schemathesis.graphql.from_path(str(SCHEMA))
    operations = [result.ok() for result in schema.get_all_operations()]
    server = Gunicorn(demo_site.env, tmp_path / "gunicorn.log", workers=2, threads=2)
    sent: Counter = Counter()
    statuses: Counter = Counter()
    messages: Counter = Counter()
    problems: list[dict] = []
    started = time.monotonic()
    try:
        server.wait_until_ready()
        session = requests.Session()
        endpoint = server.url("/graphql/")

        def check(field: str, method: str, query: str, response: requests.Response) -> None:
            sent[(field, method)] += 1
            statuses[str(response.status_code)] += 1
            problem = _problem(response)
            if problem:
                problems.append(
                    {"field": field, "method": method, "query": query, "problem": problem}
                )
                return
            for error in response.json().get("errors") or []:
                messages[error["message"][:60]] += 1

        def fuzzer(operation, field: str):
            counter = {"n": 0}

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_FIELD,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case):
                query = case.body["query"] if isinstance(case.body, dict) else case.body
                response = session.post(endpoint, json={"query": query}, timeout=60)
                check(field, "POST", query, response)
                counter["n"] += 1
                if counter["n"] % 2 == 0:
                    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
                    check(field, "GET", query, session.get(url, timeout=60))

            return fuzz

        for operation in operations:
            fuzzer(operation, operation.label.split(".")[-1])()
    finally:
        server.stop()
    log = server.log.read_text(errors="replace")

    total = sum(sent.values())
    by_field: dict[str, dict[str, int]] = {}
    for (field, method), count in sorted(sent.items()):
        by_field.setdefault(field, {})[method] = count
    figures = {
        "queries": total,
        "seconds": round(time.monotonic() - started, 1),
        "by_root_field": by_field,
        "status": dict(sorted(statuses.items())),
        "problems": len(problems),
        "problem_examples": problems[:10],
        "error_messages_top": messages.most_common(15),
        "server_log_tracebacks": log.count("Traceback"),
    }
    Path(artifacts, "fuzz.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
    )
    print("fuzz.json:", json.dumps({k: v for k, v in figures.items() if k != "problem_examples"}))

    assert problems == [], problems[:5]
    assert total >= MINIMUM_QUERIES, figures
    assert {field for field, _method in sent} == {op.label.split(".")[-1] for op in operations}
    assert all(int(status) < 500 for status in statuses), statuses
    assert figures["server_log_tracebacks"] == 0, log[-4000:]
