"""With introspection off (CIVIC_GRAPHQL_INTROSPECTION), no error says "Did you mean ...?":
unknown fields, arguments, types, enum values and input fields, written in the document or
sent as variables, are named without the schema's names closest to them."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

VALIDATION = "GRAPHQL_VALIDATION_FAILED"
ARGUMENT = "INVALID_ARGUMENT"
# A query, its variables, then each error's message with introspection off, the suggestion
# it carries with introspection on, where it is, and its code.
CASES = {
    "field": (
        '{ service(slug: "x", locale: "es") { titel } }',
        {},
        [
            (
                "Cannot query field 'titel' on type 'ServicePage'.",
                " Did you mean 'title'?",
                38,
                VALIDATION,
            )
        ],
    ),
    "argument": (
        '{ service(slg: "x", locale: "es") { title } }',
        {},
        [
            (
                "Unknown argument 'slg' on field 'Query.service'.",
                " Did you mean 'slug'?",
                11,
                VALIDATION,
            ),
            (
                "Argument 'Query.service(slug:)' of type 'String!' is required, but it was not "
                "provided.",
                "",
                3,
                VALIDATION,
            ),
        ],
    ),
    "type": (
        'query ($p: RenditionPrest) { services(locale: "es") { totalCount } }',
        {},
        [
            ("Variable '$p' is never used.", "", 8, ARGUMENT),
            (
                "Unknown type 'RenditionPrest'.",
                " Did you mean 'RenditionPreset' or 'Rendition'?",
                12,
                VALIDATION,
            ),
        ],
    ),
    "enum value": (
        '{ service(slug: "x", locale: "es") { image { rendition(preset: HER) { url } } } }',
        {},
        [
            (
                "Value 'HER' does not exist in 'RenditionPreset' enum.",
                " Did you mean the enum value 'HERO'?",
                64,
                VALIDATION,
            )
        ],
    ),
    "enum value in a variable": (
        'query ($p: RenditionPreset!) { service(slug: "x", locale: "es") '
        "{ image { rendition(preset: $p) { url } } } }",
        {"p": "HER"},
        [
            (
                "Variable '$p' has invalid value: Value 'HER' does not exist in "
                "'RenditionPreset' enum.",
                " Did you mean the enum value 'HERO'?",
                8,
                ARGUMENT,
            )
        ],
    ),
    "input field in a variable": (
        'mutation ($v: [FieldValueInput!]!) { submitForm(handle: "x", locale: "es", '
        "values: $v) { ok } }",
        {"v": [{"nam": "a", "value": "b"}]},
        [
            (
                "Variable '$v' has invalid value at [0]: Expected value of type "
                "'FieldValueInput' to include required field 'name', found: "
                "{'nam': 'a', 'value': 'b'}.",
                "",
                11,
                ARGUMENT,
            ),
            (
                "Variable '$v' has invalid value at [0]: Expected value of type "
                "'FieldValueInput' not to include unknown field 'nam'.{} Found: "
                "{{'nam': 'a', 'value': 'b'}}.",
                " Did you mean 'name'?",
                11,
                ARGUMENT,
            ),
        ],
    ),
}


def _answer(client, query: str, variables: dict) -> dict:
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


def _expected(errors, *, suggest: bool) -> dict:
    def message(text: str, suggestion: str) -> str:
        shown = suggestion if suggest else ""
        return text.format(shown) if "{}" in text else text + shown

    return {
        "data": None,
        "errors": [
            {
                "message": message(text, suggestion),
                "locations": [{"line": 1, "column": column}],
                "extensions": {"code": code},
            }
            for text, suggestion, column, code in errors
        ],
    }


@pytest.mark.parametrize("case", CASES)
def test_no_suggestion_with_introspection_off(client, site_structure, case):
    query, variables, errors = CASES[case]
    with override_settings(CIVIC_GRAPHQL_INTROSPECTION=False):
        assert _answer(client, query, variables) == _expected(errors, suggest=False)


@pytest.mark.parametrize("case", CASES)
def test_suggestions_with_introspection_on(client, site_structure, case):
    query, variables, errors = CASES[case]
    with override_settings(CIVIC_GRAPHQL_INTROSPECTION=True):
        assert _answer(client, query, variables) == _expected(errors, suggest=True)
