"""Every text argument of every root field sent invalid Unicode, NUL and oversized text, and
every list argument a huge list, the cases generated from the schema's introspection.

Each answer is the coded refusal of that field, with its message naming the argument (down
to the input field and the item), the field null (or the whole answer, for a field that
cannot be null) and nothing else: never "Unexpected error.", never a 500. A new root field
or argument is fuzzed without being listed here.
"""

import json
from dataclasses import dataclass

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    build_client_schema,
    get_named_type,
    get_nullable_type,
    introspection_from_schema,
    is_leaf_type,
    is_non_null_type,
)

from graphql_api.schema import schema

pytestmark = pytest.mark.django_db

CLIENT_SCHEMA = build_client_schema(introspection_from_schema(schema._schema))
TEXT_TYPES = {"String", "ID"}
# Texts whose rule is a search's (a few words) rather than any text's.
SEARCH_TEXTS = {"Query.search.query", "ServiceFilter.search", "ProjectFilter.search"}
# How many levels of input objects are walked (filters name their own type: AND, OR, NOT).
INPUT_DEPTH = 2
HUGE = 10_000


@dataclass(frozen=True)
class Case:
    """One hostile value at one place of one root field's arguments."""

    operation: str
    field: str
    place: str  # as the refusal names it: values[0].value, filters.AND.search
    variables: dict
    declared: tuple  # (argument, its type as written)
    message: str
    code: str

    @property
    def id(self) -> str:
        return f"{self.operation}.{self.field}({self.place}): {self.code}"


def valid(type_: GraphQLInputType):
    """A value the type takes (its required parts filled in)."""
    named = get_nullable_type(type_)
    if isinstance(named, GraphQLList):
        return []
    if isinstance(named, GraphQLInputObjectType) and named.is_one_of:
        name, field = next(iter(named.fields.items()))
        return {name: valid(field.type)}
    if isinstance(named, GraphQLInputObjectType):
        return {
            name: valid(field.type)
            for name, field in named.fields.items()
            if is_non_null_type(field.type) and field.default_value is Undefined
        }
    if isinstance(named, GraphQLScalarType):
        return {"Int": 1, "Float": 1.0, "Boolean": False}.get(named.name, "x")
    return next(iter(named.values))  # an enum


def hostile_texts(coordinate: str) -> list[tuple[str, str, str]]:
    limit = 256 if coordinate in SEARCH_TEXTS else 10_000
    return [
        (
            "\ud800",
            "is not Unicode text: it holds a lone surrogate (U+D800) at character 1",
            "INVALID_TEXT",
        ),
        (
            "ok\udfff",
            "is not Unicode text: it holds a lone surrogate (U+DFFF) at character 3",
            "INVALID_TEXT",
        ),
        ("\x00", "cannot contain the NUL character (U+0000)", "NUL_CHARACTER"),
        ("a" * 20_000, f"is longer than {limit:,} characters (got 20,000)", "TOO_LONG"),
    ]


def places(type_: GraphQLInputType, place: str, coordinate: str, depth: int):
    """(place, a value for the whole argument with one hostile value there, message, code)
    for every text and list the argument holds."""
    named = get_nullable_type(type_)
    if isinstance(named, GraphQLList):
        item = named.of_type
        yield (
            place,
            [valid(item)] * HUGE,
            f"has {HUGE:,} items; at most 100 are taken",
            "TOO_MANY_ITEMS",
        )
        for inner_place, inner, message, code in places(item, f"{place}[0]", coordinate, depth):
            yield inner_place, [inner], message, code
    elif isinstance(named, GraphQLInputObjectType):
        if depth >= INPUT_DEPTH:
            return
        base = {} if named.is_one_of else valid(named)
        for name, field in named.fields.items():
            for inner_place, inner, message, code in places(
                field.type, f"{place}.{name}", f"{named.name}.{name}", depth + 1
            ):
                yield inner_place, {**base, name: inner}, message, code
    elif isinstance(named, GraphQLScalarType) and named.name in TEXT_TYPES:
        for value, message, code in hostile_texts(coordinate):
            yield place, value, message, code


def cases() -> list[Case]:
    found = []
    roots = (("query", CLIENT_SCHEMA.query_type), ("mutation", CLIENT_SCHEMA.mutation_type))
    for operation, root in roots:
        for field_name, field in root.fields.items():
            for name, argument in field.args.items():
                required = {
                    other: (str(each.type), valid(each.type))
                    for other, each in field.args.items()
                    if other != name
                    and is_non_null_type(each.type)
                    and each.default_value is Undefined
                }
                coordinate = f"{root.name}.{field_name}.{name}"
                for place, value, message, code in places(argument.type, name, coordinate, 0):
                    declared = {other: written for other, (written, _v) in required.items()}
                    declared[name] = str(argument.type)
                    variables = {other: v for other, (_w, v) in required.items()}
                    variables[name] = value
                    found.append(
                        Case(
                            operation=operation,
                            field=field_name,
                            place=place,
                            variables=variables,
                            declared=tuple(declared.items()),
                            message=f"{place} {message}.",
                            code=code,
                        )
                    )
    return found


CASES = cases()


def root_field(case: Case):
    root = CLIENT_SCHEMA.query_type if case.operation == "query" else CLIENT_SCHEMA.mutation_type
    return root.fields[case.field]


def document(case: Case) -> str:
    field = root_field(case)
    declarations = ", ".join(f"${name}: {written}" for name, written in case.declared)
    arguments = ", ".join(f"{name}: ${name}" for name, _written in case.declared)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    return f"{case.operation} Fuzz({declarations}) {{ {case.field}({arguments}){selection} }}"


def test_the_walk_reaches_every_argument_that_takes_text_or_a_list():
    """Every root field with a text or list argument is fuzzed; the counts say how much."""
    taking = set()
    for root in (CLIENT_SCHEMA.query_type, CLIENT_SCHEMA.mutation_type):
        for name, field in root.fields.items():
            for argument in field.args.values():
                named = get_nullable_type(argument.type)
                if (
                    isinstance(named, (GraphQLList, GraphQLInputObjectType))
                    or get_named_type(named).name in TEXT_TYPES
                ):
                    taking.add(name)
    assert {case.field for case in CASES} == taking
    assert {"submitForm", "search", "services", "projects", "site"} <= taking
    assert {case.code for case in CASES} == {
        "INVALID_TEXT",
        "NUL_CHARACTER",
        "TOO_LONG",
        "TOO_MANY_ITEMS",
    }
    assert any(case.place == "values[0].value" for case in CASES)
    assert any(case.place == "filters.AND.search" for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_hostile_argument_is_a_coded_error_of_its_field(site_structure, client, case):
    query = document(case)
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": case.variables}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "data": None if isinstance(root_field(case).type, GraphQLNonNull) else {case.field: None},
        "errors": [
            {
                "message": case.message,
                "locations": [{"line": 1, "column": query.index("{ ") + 3}],
                "path": [case.field],
                "extensions": {"code": case.code},
            }
        ],
    }
