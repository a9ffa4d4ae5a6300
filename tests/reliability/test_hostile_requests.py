"""Hostile requests to /graphql/: bodies, query strings and headers no reader after the edge
could read safely, each refused with a coded error and one log line, never a traceback.

Every case goes through the whole stack (the response cache, the view, the schema), as a
client would reach it.
"""

import json
import logging

import pytest

pytestmark = pytest.mark.django_db

LOCALES = "{ locales { code } }"


def refusal(message: str, code: str) -> dict:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


@pytest.fixture
def sent(client, caplog, site_structure):
    """Send a request; return (status, JSON answer, log records)."""

    def run(method: str = "post", body: str | bytes = "", **extra) -> tuple[int, dict, list]:
        caplog.clear()
        with caplog.at_level("DEBUG"):
            if method == "get":
                response = client.get("/graphql/", extra.pop("params"), **extra)
            else:
                response = client.post(
                    "/graphql/", data=body, content_type="application/json", **extra
                )
        return response.status_code, response.json(), list(caplog.records)

    return run


def one_line(records: list, message: str) -> None:
    assert [(r.name, r.levelname, r.getMessage()) for r in records] == [
        ("django.request", "WARNING", message)
    ]
    assert records[0].exc_info is None
    assert len(logging.Formatter().format(records[0])) < 100


DEEP = "[" * 100_000 + "]" * 100_000
BODIES = {
    "not UTF-8": (
        b'{"query": "{ locales { code } }", "variables": {"s": "\xff"}}',
        400,
        refusal(
            "The request body is not UTF-8 text: byte 0xFF at position 55 is not part of a "
            "character.",
            "INVALID_TEXT",
        ),
    ),
    "JSON 100,000 arrays deep": (
        '{"query": "{ locales { code } }", "variables": {"s": ' + DEEP + "}}",
        400,
        refusal(
            "The request body nests objects and arrays more than 64 levels deep.", "BAD_REQUEST"
        ),
    ),
    "JSON 66 objects deep": (
        json.dumps(
            {"query": LOCALES, "variables": {"f": json.loads('{"a": ' * 64 + "{}" + "}" * 64)}}
        ),
        400,
        refusal(
            "The request body nests objects and arrays more than 64 levels deep.", "BAD_REQUEST"
        ),
    ),
    "a 5,000-digit number": (
        '{"query": "{ locales { code } }", "variables": {"n": ' + "9" * 5000 + "}}",
        400,
        refusal("The request body holds a number too long to read.", "BAD_REQUEST"),
    ),
    "a lone surrogate in the document": (
        '{"query": "{ service(slug: \\"\\ud800\\") { title } }"}',
        400,
        refusal(
            "query is not Unicode text: it holds a lone surrogate (U+D800) at character 18.",
            "INVALID_TEXT",
        ),
    ),
    "a lone surrogate in a persisted query's hash": (
        '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "\\udfff"}}}',
        400,
        refusal(
            "extensions.persistedQuery.sha256Hash is not Unicode text: it holds a lone "
            "surrogate (U+DFFF) at character 1.",
            "INVALID_TEXT",
        ),
    ),
    "a persisted query whose text holds a lone surrogate": (
        '{"query": "#\\ud800\\n{ locales { code } }", '
        '"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab"}}}',
        400,
        refusal(
            "query is not Unicode text: it holds a lone surrogate (U+D800) at character 2.",
            "INVALID_TEXT",
        ),
    ),
    "NUL in the operation's name": (
        '{"query": "query A { locales { code } }", "operationName": "A\\u0000"}',
        400,
        refusal("operationName cannot contain the NUL character (U+0000).", "NUL_CHARACTER"),
    ),
    "3 MB": (
        json.dumps({"query": LOCALES, "variables": {"s": "a" * 3_000_000}}),
        413,
        refusal("The request is larger than 2.5 MB.", "REQUEST_TOO_LARGE"),
    ),
}


@pytest.mark.parametrize("case", BODIES)
def test_hostile_bodies(sent, case):
    body, status, expected = BODIES[case]
    got_status, answer, records = sent("post", body)
    assert (got_status, answer) == (status, expected)
    one_line(
        records,
        "Request Entity Too Large: /graphql/" if status == 413 else "Bad Request: /graphql/",
    )


def test_deep_variables_in_a_get(sent):
    status, answer, records = sent("get", params={"query": LOCALES, "variables": DEEP})
    assert (status, answer) == (
        400,
        refusal(
            "The variables parameter nests objects and arrays more than 64 levels deep.",
            "BAD_REQUEST",
        ),
    )
    one_line(records, "Bad Request: /graphql/")


def test_a_lone_surrogate_in_a_get_hash(sent):
    extensions = '{"persistedQuery": {"version": 1, "sha256Hash": "\\ud800"}}'
    status, answer, records = sent("get", params={"extensions": extensions})
    assert (status, answer) == (
        400,
        refusal(
            "extensions.persistedQuery.sha256Hash is not Unicode text: it holds a lone "
            "surrogate (U+D800) at character 1.",
            "INVALID_TEXT",
        ),
    )
    one_line(records, "Bad Request: /graphql/")


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        (
            "HTTP_X_FORWARDED_FOR",
            "203.0.113.9\x00",
            "The X-Forwarded-For header holds a control character (U+0000).",
        ),
        (
            "HTTP_X_FORWARDED_FOR",
            ", ".join(["203.0.113.9"] * 100),
            "The X-Forwarded-For header is longer than 1,024 characters.",
        ),
        (
            "HTTP_X_CIVIC_VISITOR",
            "203.0.113.9\n; t=1",
            "The X-Civic-Visitor header holds a control character (U+000A).",
        ),
        (
            "HTTP_ORIGIN",
            "https://example.org\x7f",
            "The Origin header holds a control character (U+007F).",
        ),
        (
            "HTTP_IF_NONE_MATCH",
            '"' + "a" * 2000 + '"',
            "The If-None-Match header is longer than 1,024 characters.",
        ),
    ],
)
def test_hostile_headers(sent, header, value, message):
    status, answer, records = sent("post", json.dumps({"query": LOCALES}), **{header: value})
    assert (status, answer) == (400, refusal(message, "INVALID_HEADER"))
    one_line(records, "Bad Request: /graphql/")


def test_ordinary_requests_pass_the_edge(sent):
    """Nesting within the limit, emoji, long numbers Python reads, forwarded addresses."""
    body = json.dumps(
        {
            "query": "# 🌱 financiación\n" + LOCALES,
            "variables": {"deep": json.loads("[" * 60 + "]" * 60), "n": int("9" * 4000)},
        }
    )
    status, answer, records = sent("post", body, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert (status, answer) == (
        200,
        {"data": {"locales": [{"code": "es"}, {"code": "en"}, {"code": "ca"}]}},
    )
    assert records == []
