"""Answers of the API's root fields, kept per process under the content generation and window.

A root field's answer (``service(slug: "x") { ... }`` with everything below it) depends on
the field's selection and the variables it uses; on the public content, which the content
generation identifies (``graphql_api.invalidation``: every change that can alter a public
answer renews it, drafts do not); on the time only through the pages' go-live and expiry
dates, which ``next_change`` turns into a window; and on the request's origin (absolute
media URLs) and language (display names). Keyed by all of these, an answer cannot change
for its key, so this process keeps it as JSON text: each request gets its own copy, and no
model instance is kept.

The selection is keyed by its text (the field and the fragments it spreads, as printed),
so two documents that ask one field the same way share its answer, e.g. the site's menus
asked beside every page. Not kept: an answer with an error, any answer of a request that a
resolver marked uncacheable (a preview), mutations, and fields under experimental fragment
arguments. The memo is bounded in bytes, the least recently used answers going first, and
empties itself when the generation changes. ``CIVIC_GRAPHQL_ANSWER_MEMO_BYTES = 0`` turns it
off. The response cache (delivery.graphql_cache) sits in front, shared between servers;
this memo serves what it misses: POSTs of new documents, the first request on each server,
and answers that share root fields.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from graphql import FieldNode, FragmentSpreadNode, VariableNode, Visitor, print_ast, visit
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from .invalidation import is_uncacheable, next_change

DEFAULT_BYTES = 32 * 1024 * 1024
HEADER = "X-Civic-Answers"


def memo_bytes() -> int:
    return int(getattr(settings, "CIVIC_GRAPHQL_ANSWER_MEMO_BYTES", DEFAULT_BYTES))


class AnswerMemo:
    """JSON texts under keys that alone decide them, bounded in bytes, for one generation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._values: OrderedDict[tuple, str] = OrderedDict()
        self._bytes = 0

    def get(self, generation: str, key: tuple) -> str | None:
        with self._lock:
            if generation != self._generation:
                return None
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def put(self, generation: str, key: tuple, text: str, limit: int) -> None:
        size = len(text)
        if size > limit // 4:
            return  # One answer may not push out most of the others.
        with self._lock:
            if generation != self._generation:
                self._generation, self._values, self._bytes = generation, OrderedDict(), 0
            previous = self._values.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous)
            self._values[key] = text
            self._bytes += size
            while self._bytes > limit:
                _old, dropped = self._values.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._generation, self._values, self._bytes = None, OrderedDict(), 0

    def __len__(self) -> int:
        return len(self._values)


answers = AnswerMemo()


# The text of a selection --------------------------------------------------------------------


class _Uses(Visitor):
    """The fragments a selection spreads and the variables it reads."""

    def __init__(self) -> None:
        super().__init__()
        self.fragments: set[str] = set()
        self.variables: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: Any) -> None:
        self.fragments.add(node.name.value)

    def enter_variable(self, node: VariableNode, *_args: Any) -> None:
        self.variables.add(node.name.value)


class _Selection:
    """A root field's selection as text (with the fragments it spreads), and its variables."""

    __slots__ = ("nodes", "text", "variables")

    def __init__(self, nodes: tuple[FieldNode, ...], fragments: dict[str, Any]) -> None:
        self.nodes = nodes  # Held, so that the ids keying this entry stay theirs.
        uses = _Uses()
        for node in nodes:
            visit(node, uses)
        seen: set[str] = set()
        pending = list(uses.fragments)
        while pending:
            name = pending.pop()
            if name in seen or name not in fragments:
                continue
            seen.add(name)
            inner = _Uses()
            visit(fragments[name], inner)
            uses.variables |= inner.variables
            pending.extend(inner.fragments - seen)
        parts = [print_ast(node) for node in nodes]
        parts += [print_ast(fragments[name]) for name in sorted(seen)]
        self.text = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        self.variables = tuple(sorted(uses.variables))


_SELECTIONS_MAX = 1024
_selections: dict[tuple[int, ...], _Selection] = {}
_selections_lock = threading.Lock()


def _selection(nodes: tuple[FieldNode, ...], fragments: dict[str, Any]) -> _Selection:
    ids = tuple(id(node) for node in nodes)
    found = _selections.get(ids)
    if found is not None and all(a is b for a, b in zip(found.nodes, nodes, strict=True)):
        return found
    selection = _Selection(nodes, fragments)
    with _selections_lock:
        if len(_selections) >= _SELECTIONS_MAX:
            _selections.clear()
        _selections[ids] = selection
    return selection


def _count(context) -> None:
    """Say in a response header how many root fields came from the memo, of those asked."""
    if context.response is not None:
        total = context.answers_kept + context.answers_run
        context.response[HEADER] = f"{context.answers_kept}/{total}"


# Execution --------------------------------------------------------------------------------


class AnswerMemoExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, answering root query fields from the memo when it can."""

    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        key = self._answer_key(parent_type, field_details_list, path)
        if key is None:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        generation = key[0]
        context = self.context_value
        found = answers.get(generation, key)
        if found is not None:
            context.answers_kept += 1
            _count(context)
            return json.loads(found)
        context.answers_run += 1
        _count(context)
        errors_before = len(self.collected_errors.errors)
        value = super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
        if (
            not self.is_awaitable(value)
            and len(self.collected_errors.errors) == errors_before
            and not is_uncacheable(context.request)
        ):
            try:
                text = json.dumps(value, separators=(",", ":"))
            except (TypeError, ValueError):
                return value
            answers.put(generation, key, text, memo_bytes())
        return value

    def _answer_key(self, parent_type, field_details_list, path) -> tuple | None:
        if path.prev is not None or parent_type is not self.schema.query_type:
            return None
        limit = memo_bytes()
        context = self.context_value
        if limit <= 0 or not hasattr(context, "visibility"):
            return None
        if any(d.fragment_variable_values is not None for d in field_details_list):
            return None
        selection = _selection(tuple(d.node for d in field_details_list), self.fragment_definitions)
        coerced = self.variable_values.coerced
        variables = json.dumps(
            {name: coerced.get(name) for name in selection.variables},
            sort_keys=True,
            default=repr,
        )
        request = context.request
        visibility = context.visibility
        generation = visibility.generation
        return (
            generation,
            next_change(visibility.now, generation),
            request.scheme,
            request.get_host(),
            get_language(),
            selection.text,
            variables,
        )
