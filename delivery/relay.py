"""The visitor behind a public site's server: a form it relays carries their address, signed.

Without JavaScript, a contact form posts to the public site's own server, which sends it
on to the API: the CMS would see the server's address for every visitor, and one
visitor's submissions would use up everyone's allowance. The server says whose post it
is in ``X-Civic-Visitor`` (``<address>; t=<unix time>``) and signs that value in
``X-Civic-Visitor-Signature`` (``sha256=`` and the HMAC-SHA256 with the secret of an
active webhook endpoint, the secret the site already shares with the CMS). The CMS
takes the address only when the signature is good and the time within
``RELAY_MAX_AGE`` seconds; anything else is ignored, and the connection's own address
counts.
"""

import hashlib
import hmac
import time

from .models import WebhookEndpoint

VISITOR = "HTTP_X_CIVIC_VISITOR"
SIGNATURE = "HTTP_X_CIVIC_VISITOR_SIGNATURE"
RELAY_MAX_AGE = 300


def sign(secret: str, value: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def relayed_visitor(request, *, now: float | None = None) -> str | None:
    """The visitor's address a public site's server vouches for, or None."""
    value = request.META.get(VISITOR, "")
    signature = request.META.get(SIGNATURE, "")
    address, _, stamp = value.partition("; t=")
    if not (address and stamp.isdigit() and signature.startswith("sha256=")):
        return None
    if abs((time.time() if now is None else now) - int(stamp)) > RELAY_MAX_AGE:
        return None
    secrets = WebhookEndpoint.objects.filter(active=True).values_list("secret", flat=True)
    if any(hmac.compare_digest(sign(secret, value), signature) for secret in secrets):
        return address.strip()[:45]
    return None
