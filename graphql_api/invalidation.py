"""What can change a public answer, and the content generation every such change renews.

The generation is one token in the shared Django cache (Redis when REDIS_URL is set, so
every app server reads the same one). Cached API answers are keyed by the generation they
were computed under, so renewing it makes every older answer unreachable at once.

A resolver whose answer must never be shared (a preview) marks its request with
``mark_uncacheable``; the response cache reads ``is_uncacheable`` after the view ran.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

GENERATION_KEY = "civic:content-generation"
_UNCACHEABLE = "_civic_uncacheable"


# The generation ---------------------------------------------------------------------------


def current_generation() -> str:
    """The token of the content as it is now; a new one if the cache lost it."""
    return cache.get_or_set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def request_generation(request: HttpRequest) -> str:
    """The generation one request reads under: read once, then the same for the whole request."""
    token = getattr(request, "_civic_generation", None)
    if token is None:
        token = request._civic_generation = current_generation()
    return token


def renew_generation() -> str:
    """Make every answer cached so far unreachable."""
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


# Answers that must not be shared ----------------------------------------------------------


def mark_uncacheable(request: HttpRequest | None) -> None:
    """Say that this request's answer must not be stored nor sent as public (a preview)."""
    if request is not None:
        setattr(request, _UNCACHEABLE, True)


def is_uncacheable(request: HttpRequest) -> bool:
    """Whether a resolver marked this request's answer with ``mark_uncacheable``."""
    return bool(getattr(request, _UNCACHEABLE, False))
