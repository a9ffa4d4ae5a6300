"""Keyset pagination for every list: strawberry-django's cursor connection, with our limits.

A cursor holds the values of the list's ordering fields for one item (and its id as a
tiebreaker), not a position: pages published or unpublished between two requests shift
no later item, so paging through a list never repeats or skips one. ``first``/``after``
walk forwards, ``last``/``before`` backwards.
"""

import hashlib
import json
from typing import Any

import strawberry
from django.db.models import CharField, QuerySet, Value
from strawberry.relay import from_base64, to_base64
from strawberry_django.relay import DjangoCursorConnection
from strawberry_django.relay.cursor_connection import DjangoCursorEdge, apply_cursor_pagination

from .conf import api_setting
from .context import get_context
from .errors import ApiError, ErrorCode
from .links import CHAIN_CODES


def page_size(first: int | None, setting: str = "CIVIC_GRAPHQL_MAX_PAGE_SIZE", name: str = "first"):
    """The number of items to return: ``first`` within the server's limit."""
    maximum = api_setting(setting)
    if first is None:
        return min(api_setting("CIVIC_GRAPHQL_DEFAULT_PAGE_SIZE"), maximum)
    if first < 1 or first > maximum:
        raise ApiError(
            f"{name} must be between 1 and {maximum} (got {first}); "
            "use pageInfo.endCursor with after to get more.",
            ErrorCode.PAGE_SIZE_EXCEEDED,
        )
    return first


def for_reader(queryset: QuerySet, chain: list) -> QuerySet:
    """A list's queryset with the reader's language chain, which its pages' links follow
    (graphql_api.links): an annotation each row carries (``CHAIN_CODES``), kept through
    the filters, ordering and slicing applied before the connection reads it."""
    codes = ",".join(locale.language_code for locale in chain)
    return queryset.annotate(**{CHAIN_CODES: Value(codes, output_field=CharField())})


# A cursor names the list it came from: the field and every argument but the paging ones
# (language, filters, ordering). A cursor of another list is refused, not misread.
CURSOR_KIND = "civic"
_PAGING = {"first", "last", "after", "before"}


def list_identity(info: strawberry.Info) -> str:
    """A short fingerprint of the list a connection field answers."""
    arguments = {k: v for k, v in info.selected_fields[0].arguments.items() if k not in _PAGING}
    text = json.dumps([info.field_name, arguments], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _wrap(identity: str, cursor: str | None) -> str | None:
    return to_base64(CURSOR_KIND, f"{identity}:{cursor}") if cursor is not None else None


def _unwrap(identity: str, cursor: str | None) -> str | None:
    """The list's own cursor inside one this API gave; ApiError for anything else."""
    if cursor is None:
        return None
    try:
        kind, value = from_base64(cursor)
    except Exception:
        kind, value = None, ""
    owner, _, inner = value.partition(":")
    if kind != CURSOR_KIND or not inner:
        raise ApiError(
            f"Invalid cursor '{cursor}': pass a cursor this API returned (pageInfo.endCursor).",
            ErrorCode.INVALID_CURSOR,
        )
    if owner != identity:
        raise ApiError(
            f"Invalid cursor '{cursor}': it comes from another list (other language, filters "
            "or ordering); pass a cursor this same list returned.",
            ErrorCode.INVALID_CURSOR,
        )
    try:
        inner_kind, _values = from_base64(inner)
    except Exception:
        inner_kind = None
    if inner_kind != DjangoCursorEdge.CURSOR_PREFIX:
        raise ApiError(
            f"Invalid cursor '{cursor}': pass a cursor this API returned (pageInfo.endCursor).",
            ErrorCode.INVALID_CURSOR,
        )
    return inner


def _any_beyond(nodes: QuerySet, info: strawberry.Info, cursor: str, *, before: bool) -> bool:
    """Whether the list has an item before (or after) the one ``cursor`` stands for."""
    edge = {"before": cursor, "last": 1} if before else {"after": cursor, "first": 1}
    queryset, _descriptors = apply_cursor_pagination(
        nodes,
        info=info,
        before=edge.get("before"),
        after=edge.get("after"),
        first=edge.get("first"),
        last=edge.get("last"),
        max_results=api_setting("CIVIC_GRAPHQL_MAX_PAGE_SIZE"),
    )
    return queryset.exists()


@strawberry.type(description="A page of a list, with keyset cursors and the total count.")
class KeysetConnection(DjangoCursorConnection[strawberry.relay.NodeType]):
    @strawberry.field(description="Total quantity of existing nodes.")
    def total_count(self) -> int:
        return self.total_count_qs.count()

    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: strawberry.Info,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        max_results: int | None = None,
        **kwargs: Any,
    ) -> Any:
        if first is not None and last is not None:
            raise ApiError(
                "Give first (with after) or last (with before), not both.",
                ErrorCode.INVALID_ARGUMENT,
            )
        if last is not None:
            last = page_size(last, name="last")
        else:
            first = page_size(first)
        identity = list_identity(info)
        after, before = _unwrap(identity, after), _unwrap(identity, before)
        try:
            connection = super().resolve_connection(
                nodes,
                info=info,
                before=before,
                after=after,
                first=first,
                last=last,
                max_results=api_setting("CIVIC_GRAPHQL_MAX_PAGE_SIZE"),
                **kwargs,
            )
        except ValueError as error:
            # The cursor decoded but does not fit this list's ordering.
            raise ApiError(
                f"Invalid cursor: {error}. Pass a cursor this list returned, with the same order.",
                ErrorCode.INVALID_CURSOR,
            ) from None
        info_ = connection.page_info
        edges = connection.edges
        # Relay says only whether more items lie the way the reader goes; the other way is
        # asked too, so every page says both (one small query when a cursor was given).
        if after is not None and edges and not info_.has_previous_page:
            info_.has_previous_page = _any_beyond(nodes, info, edges[0].cursor, before=True)
        if before is not None and edges and not info_.has_next_page:
            info_.has_next_page = _any_beyond(nodes, info, edges[-1].cursor, before=False)
        for edge in edges:
            edge.cursor = _wrap(identity, edge.cursor)
        info_.start_cursor = _wrap(identity, info_.start_cursor)
        info_.end_cursor = _wrap(identity, info_.end_cursor)
        get_context(info).links.returned([edge.node for edge in connection.edges])
        return connection
