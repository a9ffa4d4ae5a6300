"""Hostile arguments: invalid Unicode, NUL, oversized text, long lists and deep nesting, as
literals and as variables, at the root and nested, refused as errors of their own field.

Each refusal leaves the other fields answered (when the refused field is nullable), stores
nothing, and writes exactly one log line without a traceback.
"""

import json

import pytest
from django.test import override_settings
from wagtail.contrib.forms.models import FormSubmission

from tests.factories import make_contact_form, make_service

pytestmark = pytest.mark.django_db

LOCALES = {"locales": [{"code": "es"}, {"code": "en"}, {"code": "ca"}]}


def refused(field_path: list, column: int, message: str, code: str, data: dict | None) -> dict:
    return {
        "data": data,
        "errors": [
            {
                "message": message,
                "locations": [{"line": 1, "column": column}],
                "path": field_path,
                "extensions": {"code": code},
            }
        ],
    }


@pytest.fixture
def answered(graphql, caplog):
    """Run a query; return its answer and the log records it wrote (any logger, any level)."""

    def run(query: str, variables: dict | None = None) -> tuple[dict, list]:
        caplog.clear()
        with caplog.at_level("DEBUG"):
            response = graphql(query, variables)
        return response, list(caplog.records)

    return run


def one_line(records: list, message: str) -> None:
    """Exactly one record, that message, no traceback."""
    assert [(r.name, r.levelname, r.getMessage()) for r in records] == [
        ("graphql_api.extensions", "WARNING", message)
    ]
    assert records[0].exc_info is None


SERVICE = "query ($s: String!) { service(slug: $s) { title } locales { code } }"


@pytest.mark.parametrize(
    ("slug", "message", "code"),
    [
        (
            "\ud800",
            "slug is not Unicode text: it holds a lone surrogate (U+D800) at character 1.",
            "INVALID_TEXT",
        ),
        (
            "democratic-\udfff-funding",
            "slug is not Unicode text: it holds a lone surrogate (U+DFFF) at character 12.",
            "INVALID_TEXT",
        ),
        ("a\x00", "slug cannot contain the NUL character (U+0000).", "NUL_CHARACTER"),
        (
            "a" * 10_001,
            "slug is longer than 10,000 characters (got 10,001).",
            "TOO_LONG",
        ),
    ],
)
def test_a_bad_text_variable_is_an_error_of_its_field(
    site_structure, answered, slug, message, code
):
    response, records = answered(SERVICE, {"s": slug})
    assert response == refused(["service"], 23, message, code, {"service": None, **LOCALES})
    one_line(records, f"Refused arguments: Query.service: {code}")


def test_a_lone_surrogate_sent_as_a_json_escape(site_structure, client, caplog):
    """What an attacker sends: the escape itself, in the raw body."""
    body = '{"query": "query ($s: String!) { service(slug: $s) { title } locales { code } }", '
    body += '"variables": {"s": "\\ud800"}}'
    with caplog.at_level("DEBUG"):
        response = client.post("/graphql/", data=body, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == refused(
        ["service"],
        23,
        "slug is not Unicode text: it holds a lone surrogate (U+D800) at character 1.",
        "INVALID_TEXT",
        {"service": None, **LOCALES},
    )
    one_line(caplog.records, "Refused arguments: Query.service: INVALID_TEXT")


def test_good_text_is_untouched(site_structure, answered):
    """Accents, emoji (a surrogate pair in JSON) and text at the limit pass."""
    make_service(site_structure.service_indexes["es"], title="Financiación 🌱", slug="financiación")
    response, records = answered(SERVICE, {"s": "financiación"})
    assert response == {"data": {"service": {"title": "Financiación 🌱"}, **LOCALES}}
    response, records = answered(SERVICE, {"s": "🌱" + "a" * 9_999})
    assert response == {"data": {"service": None, **LOCALES}}
    assert records == []


@override_settings(CIVIC_GRAPHQL_MAX_TEXT_LENGTH=20)
def test_the_text_limit_is_a_setting(site_structure, answered):
    response, _records = answered(SERVICE, {"s": "a" * 21})
    assert response == refused(
        ["service"],
        23,
        "slug is longer than 20 characters (got 21).",
        "TOO_LONG",
        {"service": None, **LOCALES},
    )


def test_literals_are_checked_like_variables(site_structure, answered):
    keys = ", ".join(f'"k{i}"' for i in range(101))
    query = (
        f'{{ a: service(slug: "x\\u0000") {{ title }} '
        f"site {{ strings(keys: [{keys}]) {{ key }} }} locales {{ code }} }}"
    )
    response, records = answered(query)
    assert response == {
        "data": {"a": None, "site": None, **LOCALES},
        "errors": [
            {
                "message": "slug cannot contain the NUL character (U+0000).",
                "locations": [{"line": 1, "column": 3}],
                "path": ["a"],
                "extensions": {"code": "NUL_CHARACTER"},
            },
            {
                "message": "keys has 101 items; at most 100 are taken.",
                "locations": [{"line": 1, "column": 48}],
                "path": ["site", "strings"],
                "extensions": {"code": "TOO_MANY_ITEMS"},
            },
        ],
    }
    one_line(
        records, "Refused arguments: Query.service: NUL_CHARACTER; Site.strings: TOO_MANY_ITEMS"
    )


def test_an_item_of_a_list_is_named(site_structure, answered):
    query = "query ($k: [String!]) { site { strings(keys: $k) { key } } locales { code } }"
    response, records = answered(query, {"k": ["contact_btn", "ok", "\udc00"]})
    assert response == refused(
        ["site", "strings"],
        32,
        "keys[2] is not Unicode text: it holds a lone surrogate (U+DC00) at character 1.",
        "INVALID_TEXT",
        {"site": None, **LOCALES},
    )
    one_line(records, "Refused arguments: Site.strings: INVALID_TEXT")


def test_a_huge_list_variable(site_structure, answered):
    query = "query ($k: [String!]) { site { strings(keys: $k) { key } } locales { code } }"
    response, _records = answered(query, {"k": ["x"] * 100_000})
    assert response == refused(
        ["site", "strings"],
        32,
        "keys has 100,000 items; at most 100 are taken.",
        "TOO_MANY_ITEMS",
        {"site": None, **LOCALES},
    )


FILTERED = "query ($f: ServiceFilter) { services(filters: $f) { totalCount } locales { code } }"


def nested(depth: int, inner: dict) -> dict:
    for _ in range(depth):
        inner = {"AND": inner}
    return inner


def test_input_objects_nested_too_deep(site_structure, answered):
    response, records = answered(FILTERED, {"f": nested(20, {"slug": "x"})})
    assert response == refused(
        ["services"],
        29,
        "filters" + ".AND" * 10 + " nests lists and input objects more than 10 levels deep.",
        "INPUT_TOO_DEEP",
        {"services": None, **LOCALES},
    )
    one_line(records, "Refused arguments: Query.services: INPUT_TOO_DEEP")
    # Nine levels are taken.
    response, records = answered(FILTERED, {"f": nested(9, {"slug": "x"})})
    assert response == {"data": {"services": {"totalCount": 0}, **LOCALES}}
    assert records == []


def test_text_deep_in_an_input_object_is_named(site_structure, answered):
    response, _records = answered(FILTERED, {"f": {"OR": {"NOT": {"slug": "\ud83d"}}}})
    assert response == refused(
        ["services"],
        29,
        "filters.OR.NOT.slug is not Unicode text: it holds a lone surrogate (U+D83D) at "
        "character 1.",
        "INVALID_TEXT",
        {"services": None, **LOCALES},
    )


SEARCH = "query ($q: String!) { search(query: $q) { title } locales { code } }"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (" ".join(["w"] * 33), "query has 33 words; a search takes at most 32."),
        (" ".join(["word"] * 600), "query is longer than 256 characters (got 2,999)."),
        ("a" * 257, "query is longer than 256 characters (got 257)."),
    ],
)
def test_search_is_bounded_in_words_and_characters(site_structure, answered, words, message):
    response, records = answered(SEARCH, {"q": words})
    assert response == refused(["search"], 23, message, "TOO_LONG", {"search": None, **LOCALES})
    one_line(records, "Refused arguments: Query.search: TOO_LONG")


def test_a_search_of_32_words_runs(site_structure, answered):
    make_service(site_structure.service_indexes["es"], title="Financiación", slug="f")
    words = " ".join(["financiación"] + [f"w{i}" for i in range(31)])
    response, records = answered(SEARCH, {"q": words})
    assert response == {"data": {"search": [], **LOCALES}}
    assert records == []


@pytest.mark.parametrize(
    ("query", "column", "field", "where"),
    [
        (
            "query ($q: String!) { services(filters: {search: $q}) { totalCount } "
            "locales { code } }",
            23,
            "services",
            "filters.search",
        ),
        (
            "query ($q: String!) { projects(filters: {AND: {search: $q}}) { totalCount } "
            "locales { code } }",
            23,
            "projects",
            "filters.AND.search",
        ),
    ],
)
def test_the_lists_search_filters_are_bounded_too(
    site_structure, answered, query, column, field, where
):
    response, records = answered(query, {"q": " ".join(["w"] * 100)})
    assert response == refused(
        [field],
        column,
        f"{where} has 100 words; a search takes at most 32.",
        "TOO_LONG",
        {field: None, **LOCALES},
    )
    one_line(records, f"Refused arguments: Query.{field}: TOO_LONG")


SUBMIT = """mutation ($values: [FieldValueInput!]!) { submitForm(handle: "cta-contact-service", locale: "es", values: $values) { ok errors { field code message } } }"""  # noqa: E501


def form_values(message: str) -> list[dict]:
    return [
        {"name": "name", "value": "Ana"},
        {"name": "email", "value": "ana@example.org"},
        {"name": "message", "value": message},
        {"name": "privacy_policy", "value": "true"},
    ]


@pytest.fixture
def form(site_structure, settings, tmp_path):
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return make_contact_form(site_structure.homes["es"])


@pytest.mark.parametrize(
    ("values", "message", "code"),
    [
        (
            form_values("Hola \ud800"),
            "values[2].value is not Unicode text: it holds a lone surrogate (U+D800) at "
            "character 6.",
            "INVALID_TEXT",
        ),
        (
            form_values("Hola\x00"),
            "values[2].value cannot contain the NUL character (U+0000).",
            "NUL_CHARACTER",
        ),
        (
            [{"name": "message\udfff", "value": "Hola"}],
            "values[0].name is not Unicode text: it holds a lone surrogate (U+DFFF) at "
            "character 8.",
            "INVALID_TEXT",
        ),
        (
            form_values("x" * 10_001),
            "values[2].value is longer than 10,000 characters (got 10,001).",
            "TOO_LONG",
        ),
        (
            [{"name": f"f{i}", "value": "x"} for i in range(101)],
            "values has 101 items; at most 100 are taken.",
            "TOO_MANY_ITEMS",
        ),
    ],
)
def test_submit_form_stores_nothing_invalid(form, answered, values, message, code):
    response, records = answered(SUBMIT, {"values": values})
    assert response == refused(["submitForm"], 43, message, code, None)
    assert FormSubmission.objects.count() == 0
    one_line(records, f"Refused arguments: Mutation.submitForm: {code}")
    # The same submission with good text is received.
    response, _records = answered(SUBMIT, {"values": form_values("Hola 🌱")})
    assert response == {"data": {"submitForm": {"ok": True, "errors": []}}}
    stored = FormSubmission.objects.get()
    assert json.loads(json.dumps(stored.form_data))["message"] == "Hola 🌱"


def test_the_same_refusal_twice_is_one_log_line(site_structure, answered):
    query = "query ($s: String!) { a: service(slug: $s) { title } b: service(slug: $s) { title } }"
    response, records = answered(query, {"s": "\x00"})
    error = {
        "message": "slug cannot contain the NUL character (U+0000).",
        "extensions": {"code": "NUL_CHARACTER"},
    }
    assert response == {
        "data": {"a": None, "b": None},
        "errors": [
            {**error, "locations": [{"line": 1, "column": 23}], "path": ["a"]},
            {**error, "locations": [{"line": 1, "column": 54}], "path": ["b"]},
        ],
    }
    one_line(records, "Refused arguments: Query.service: NUL_CHARACTER")
