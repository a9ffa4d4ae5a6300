"""Checks shared by blocks whose fields hold links."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

_http_url = URLValidator(schemes=["http", "https"])


def validate_web_url(value: str) -> None:
    """Accept only absolute http(s) URLs: no javascript:, data: or other schemes."""
    if not value:
        return
    stripped = value.strip()
    if stripped != value or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValidationError(_("Enter a URL without spaces or control characters."))
    scheme = urlsplit(value).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(
            _("Enter a web address that starts with http:// or https:// (got %(scheme)s)."),
            params={"scheme": f"{scheme}:" if scheme else "no scheme"},
            code="scheme",
        )
    _http_url(value)


def validate_link(value: str) -> None:
    """Accept an http(s) URL, a site path such as /es/contacto/, an anchor (#form) or mailto:."""
    if not value:
        return
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValidationError(_("Enter a link without spaces or control characters."))
    if value.startswith("#"):
        if len(value) == 1:
            raise ValidationError(_("An anchor needs a name after '#', such as #contact."))
        return
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.lower().startswith("mailto:") and "@" in value:
        return
    validate_web_url(value)
