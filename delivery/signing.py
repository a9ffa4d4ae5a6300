"""HMAC-SHA256 signatures of webhook bodies."""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Civic-Signature-256"


def sign(body: bytes, secret: str) -> str:
    """The signature header value for ``body``: ``sha256=<hex digest>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, signature: str) -> bool:
    """Check a received signature in constant time."""
    return hmac.compare_digest(sign(body, secret), signature or "")
