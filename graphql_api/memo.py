"""A bounded per-process memo for values that cannot change for their key."""

import threading
from typing import Any


class BoundedMemo:
    """Values kept in this process under keys that alone decide them; emptied when full.

    Only for values that are never wrong for their key (content-addressed, or keyed by the
    content generation and the page-date window): nothing here is ever invalidated.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._values: dict[tuple, Any] = {}

    def get(self, key: tuple) -> Any:
        return self._values.get(key)

    def put(self, key: tuple, value: Any) -> None:
        with self._lock:
            if len(self._values) >= self.max_entries:
                self._values.clear()
            self._values[key] = value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
