"""No "Did you mean ...?" in error messages while introspection is off.

graphql-core ends a message about an unknown field, argument, type, input field or enum
value with the known names closest to it ("Cannot query field 'titel' on type
'ServicePage'. Did you mean 'title'?"): a client could map the schema with typos that
introspection would refuse to show. Validation errors and the variables' coercion errors
(raised while executing) both carry them, so the messages of the final answer are cut.
"""

import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from .conf import api_setting

# What graphql.pyutils.did_you_mean() appends: names are [_A-Za-z0-9]+, never a "?".
SUGGESTION = re.compile(r" Did you mean [^?]*\?")


def without_suggestion(error: GraphQLError) -> GraphQLError:
    """``error`` with no suggestion in its message (the same error, changed in place)."""
    error.message = SUGGESTION.sub("", error.message)
    return error


class HideSuggestions(SchemaExtension):
    """Cut the suggestions from every error of an answer while introspection is off."""

    def on_operation(self) -> Iterator[None]:
        yield
        if api_setting("CIVIC_GRAPHQL_INTROSPECTION"):
            return
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            without_suggestion(error)
