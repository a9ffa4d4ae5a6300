"""Signatures of webhook requests: HMAC-SHA256 of the time, the delivery, the attempt and
the body, so that a receiver can refuse a request replayed later or twice.

Each request carries ``X-Civic-Timestamp`` (Unix seconds when it was signed),
``X-Civic-Delivery`` (the delivery's id, the same on every retry) and ``X-Civic-Attempt``
(1, 2, …: with the delivery, names this one request), and ``X-Civic-Signature-256``:
``sha256=`` and the hex HMAC-SHA256, with the endpoint's secret, of
``<timestamp>.<delivery>.<attempt>.`` followed by the body. A receiver refuses a timestamp
more than ``MAX_AGE`` seconds from its clock, and a delivery and attempt it has already
taken within that window (frontend/server.py does both).
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Civic-Signature-256"
TIMESTAMP_HEADER = "X-Civic-Timestamp"
DELIVERY_HEADER = "X-Civic-Delivery"
ATTEMPT_HEADER = "X-Civic-Attempt"
MAX_AGE = 300


def signed_content(body: bytes, *, timestamp: int, delivery: str, attempt: int) -> bytes:
    return f"{timestamp}.{delivery}.{attempt}.".encode() + body


def sign(body: bytes, secret: str, *, timestamp: int, delivery: str, attempt: int) -> str:
    """The signature header value: ``sha256=<hex digest>``."""
    content = signed_content(body, timestamp=timestamp, delivery=delivery, attempt=attempt)
    return "sha256=" + hmac.new(secret.encode(), content, hashlib.sha256).hexdigest()


def signature_headers(
    body: bytes, secret: str, *, delivery: str, attempt: int, now: float | None = None
) -> dict[str, str]:
    """The four headers that sign one request of a delivery, timestamped now."""
    timestamp = int(time.time() if now is None else now)
    return {
        TIMESTAMP_HEADER: str(timestamp),
        DELIVERY_HEADER: delivery,
        ATTEMPT_HEADER: str(attempt),
        SIGNATURE_HEADER: sign(
            body, secret, timestamp=timestamp, delivery=delivery, attempt=attempt
        ),
    }


def verify(
    body: bytes, secret: str, headers, *, now: float | None = None, max_age: int = MAX_AGE
) -> bool:
    """Check received headers in constant time: a good signature, signed within
    ``max_age`` seconds of ``now``. (Refusing a delivery and attempt seen before is the
    receiver's part: it alone knows what it has taken.)"""
    stamp = headers.get(TIMESTAMP_HEADER) or ""
    attempt = headers.get(ATTEMPT_HEADER) or ""
    if not (secret and stamp.isdigit() and attempt.isdigit()):
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > max_age:
        return False
    expected = sign(
        body,
        secret,
        timestamp=int(stamp),
        delivery=headers.get(DELIVERY_HEADER) or "",
        attempt=int(attempt),
    )
    return hmac.compare_digest(expected, headers.get(SIGNATURE_HEADER) or "")
