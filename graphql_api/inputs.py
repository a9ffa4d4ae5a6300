"""What the API accepts as input, checked before anything reads it.

Every argument of every field, given as a literal or a variable, nested in input objects
and lists (``submitForm``'s values, the lists' filters and orderings) is checked before
its field runs (``graphql_api.extensions.CheckArguments``): text must be Unicode text a
database can store (no lone surrogate, no NUL) and not longer than its limit, a list not
longer than its limit, and input objects and lists not nested deeper than theirs. A
refused argument is an error of its own field, like any bad argument (``ApiError``), so
the other fields of the document are answered.

The request around the document (its body, the headers the API reads) is checked by the
view (``graphql_api.views.edge_refusal``) with the same rule for text.
"""

from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    get_nullable_type,
)

from .conf import api_setting
from .errors import ApiError, ErrorCode


def text_problem(text: str, limit: int) -> tuple[ErrorCode, str] | None:
    """Why ``text`` cannot be taken (a code and the end of a sentence), or None.

    A lone surrogate (U+D800 to U+DFFF on its own, as a JSON escape can send) is no
    character: UTF-8 cannot encode it, so no database, page or e-mail can hold it.
    PostgreSQL cannot hold NUL either, nor compare with it.
    """
    if len(text) > limit:
        return ErrorCode.TOO_LONG, f"is longer than {limit:,} characters (got {len(text):,})"
    if "\x00" in text:
        return ErrorCode.NUL_CHARACTER, "cannot contain the NUL character (U+0000)"
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError as error:
            return (
                ErrorCode.INVALID_TEXT,
                f"is not Unicode text: it holds a lone surrogate "
                f"(U+{ord(text[error.start]):04X}) at character {error.start + 1}",
            )
    return None


def search_problem(text: str) -> tuple[ErrorCode, str] | None:
    """Why a search text cannot be searched for, or None: a search is a few words.

    The search backends build one condition per word, nested: hundreds of words would
    cost as many nested conditions (and, on SQLite, exhaust Python's recursion).
    """
    problem = text_problem(text, api_setting("CIVIC_GRAPHQL_MAX_SEARCH_LENGTH"))
    if problem is not None:
        return problem
    words = len(text.split())
    most = api_setting("CIVIC_GRAPHQL_MAX_SEARCH_WORDS")
    if words > most:
        return ErrorCode.TOO_LONG, f"has {words} words; a search takes at most {most}"
    return None


# Texts with a rule of their own, by schema coordinate ("Type.field.argument" for an
# argument, "InputType.field" for a field of an input object).
SEARCH_TEXTS = frozenset({"Query.search.query", "ServiceFilter.search", "ProjectFilter.search"})


class ArgumentChecks:
    """The checks of one request's arguments, with the limits the settings give it.

    Values are walked with their GraphQL types, so messages and rules use the schema's
    names.
    """

    def __init__(self) -> None:
        self.text_limit: int = api_setting("CIVIC_GRAPHQL_MAX_TEXT_LENGTH")
        self.list_limit: int = api_setting("CIVIC_GRAPHQL_MAX_LIST_LENGTH")
        self.depth_limit: int = api_setting("CIVIC_GRAPHQL_MAX_INPUT_DEPTH")

    def refusal(
        self, parent: str, name: str, field: GraphQLField, arguments: dict[str, Any]
    ) -> ApiError | None:
        """Why the arguments of field ``name`` of type ``parent`` are refused, or None.

        The first problem found is the one reported; its message names the argument, down
        to the item and the input field (``values[2].value``, ``filters.AND.search``).
        """
        for key, value in arguments.items():
            argument: GraphQLArgument | None = field.args.get(key)
            refused = self.value(
                value,
                argument.type if argument is not None else None,
                key,
                f"{parent}.{name}.{key}",
                0,
            )
            if refused is not None:
                return refused
        return None

    def value(
        self, value: Any, type_: GraphQLInputType | None, where: str, coordinate: str, depth: int
    ) -> ApiError | None:
        if isinstance(value, str):
            problem = (
                search_problem(value)
                if coordinate in SEARCH_TEXTS
                else text_problem(value, self.text_limit)
            )
            if problem is None:
                return None
            code, sentence = problem
            return ApiError(f"{where} {sentence}.", code)
        if isinstance(value, (list, dict)):
            if depth >= self.depth_limit:
                return ApiError(
                    f"{where} nests lists and input objects more than {self.depth_limit} "
                    f"levels deep.",
                    ErrorCode.INPUT_TOO_DEEP,
                )
            named = get_nullable_type(type_) if type_ is not None else None
            if isinstance(value, list):
                return self.items(value, named, where, coordinate, depth)
            return self.fields(value, named, where, depth)
        # An upload: its file name is text the server keeps.
        name = getattr(value, "name", None) if hasattr(value, "chunks") else None
        if isinstance(name, str):
            problem = text_problem(name, 255)
            if problem is not None:
                return ApiError(f"{where} (its file name) {problem[1]}.", problem[0])
        return None

    def items(
        self, value: list, type_: Any, where: str, coordinate: str, depth: int
    ) -> ApiError | None:
        if len(value) > self.list_limit:
            return ApiError(
                f"{where} has {len(value):,} items; at most {self.list_limit} are taken.",
                ErrorCode.TOO_MANY_ITEMS,
            )
        inner = type_.of_type if isinstance(type_, GraphQLList) else None
        for index, item in enumerate(value):
            refused = self.value(item, inner, f"{where}[{index}]", coordinate, depth + 1)
            if refused is not None:
                return refused
        return None

    def fields(self, value: dict, type_: Any, where: str, depth: int) -> ApiError | None:
        fields: dict[str, GraphQLInputField] = (
            type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        )
        for key, item in value.items():
            field = fields.get(key)
            refused = self.value(
                item,
                field.type if field is not None else None,
                f"{where}.{key}",
                f"{type_.name}.{key}" if field is not None else "",
                depth + 1,
            )
            if refused is not None:
                return refused
        return None
