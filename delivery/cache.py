"""The content generation: one token in the shared cache that every content change renews.

Cached API responses are keyed by the generation they were computed under, so a
change makes every older response unreachable at once: the first request after a
publish computes fresh content. With several app servers the cache must be shared
(REDIS_URL); local memory only serves a single process.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "civic:content-generation"


def current_generation() -> str:
    """The token of the content as it is now; a new one if the cache lost it."""
    return cache.get_or_set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def request_generation(request) -> str:
    """The generation one request reads under: read once, then the same for the whole request."""
    token = getattr(request, "_civic_generation", None)
    if token is None:
        token = request._civic_generation = current_generation()
    return token


def renew_generation() -> str:
    """Make every response cached so far unreachable."""
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, timeout=None)
    return token


def renew_after_commit(**_kwargs) -> None:
    """Renew now, and again once the change is visible to other connections.

    The renewal at commit is the one that matters: a request that read the old
    content while the transaction ran may have cached it under the generation
    of that moment. The renewal at once keeps this connection's own reads fresh
    before the commit.
    """
    renew_generation()
    transaction.on_commit(renew_generation)
