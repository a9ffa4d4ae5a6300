"""Cursor pagination shared by list queries."""

import base64
import binascii

import strawberry

from .conf import api_setting
from .errors import ApiError

_PREFIX = "offset:"


@strawberry.type(name="PageInfo", description="Where a page of results sits in the whole list.")
class PageInfoType:
    has_next_page: bool = strawberry.field(description="True when `after: endCursor` gives more.")
    has_previous_page: bool = strawberry.field(description="True when results came before.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first edge.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last edge.")


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset after ``cursor``; 0 without one."""
    if cursor is None:
        return 0
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        offset = int(text.removeprefix(_PREFIX))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(
            f"Invalid cursor '{cursor}': pass a cursor this API returned (pageInfo.endCursor)."
        ) from None
    if offset < 0:
        raise ApiError(f"Invalid cursor '{cursor}'.")
    return offset + 1


def page_size(first: int | None, setting: str = "CIVIC_GRAPHQL_MAX_PAGE_SIZE") -> int:
    """The number of items to return: ``first`` within the server's limit."""
    maximum = api_setting(setting)
    if first is None:
        return min(api_setting("CIVIC_GRAPHQL_DEFAULT_PAGE_SIZE"), maximum)
    if first < 1 or first > maximum:
        raise ApiError(
            f"first must be between 1 and {maximum} (got {first}); "
            "use pageInfo.endCursor with after to get more."
        )
    return first
